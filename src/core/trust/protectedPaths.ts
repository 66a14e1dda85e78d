/**
 * Protected paths: files that run code or reconfigure tools (tasks that run when a folder opens,
 * git hooks, CI workflows, package-manager settings, environment files). An agent's edit to one
 * of them waits for review even in `auto` mode. Glob matching is picomatch's; what this file adds
 * is the default list with the reason for each entry, the tighten-only merge of the setting's
 * layers, and a match that says which pattern caught a path and why, for the view to show.
 */
import picomatch from 'picomatch';
import { unionOfLists, type LayerName, type SettingLayers } from './tightenOnly';

/** The default `runtools.protectedPaths`, each with the reason it is there (package.json holds the same globs). */
export const DEFAULT_PROTECTED_PATHS: readonly { glob: string; why: string }[] = [
  { glob: '**/.vscode/**', why: 'VS Code runs its tasks (runOn: folderOpen) and applies its settings, which can redirect tools and this extension' },
  { glob: '**/*.code-workspace', why: 'a workspace file holds settings, tasks and launch configurations' },
  { glob: '**/.devcontainer/**', why: 'a dev container runs its commands when it is built or opened' },
  { glob: '**/.github/workflows/**', why: 'CI workflows run with the repository\'s secrets on the next push' },
  { glob: '**/.gitlab-ci.yml', why: 'GitLab CI runs it with the project\'s secrets on the next push' },
  { glob: '**/.circleci/**', why: 'CircleCI runs it with the project\'s secrets on the next push' },
  { glob: '**/.husky/**', why: 'git hooks run on your next commit or push' },
  { glob: '**/.githooks/**', why: 'git hooks (core.hooksPath) run on your next commit or push' },
  { glob: '**/.pre-commit-config.yaml', why: 'pre-commit runs the hooks it names on your next commit' },
  { glob: '**/.envrc', why: 'direnv runs it when you enter the folder' },
  { glob: '**/.env', why: 'environment files hold secrets and configure the tools that load them' },
  { glob: '**/.env.*', why: 'environment files hold secrets and configure the tools that load them' },
  { glob: '**/.npmrc', why: 'it can point npm at another registry or change how install scripts run' },
  { glob: '**/.yarnrc', why: 'it can point yarn at another registry' },
  { glob: '**/.yarnrc.yml', why: 'its yarnPath runs a script on every yarn command' },
  { glob: '**/.pnpmfile.cjs', why: 'pnpm runs it on every install' },
];

export interface ProtectedPattern {
  glob: string;
  /** Which settings layer added it. */
  from: LayerName;
}

export interface ProtectedMatch {
  /** The workspace-relative path that matched. */
  path: string;
  glob: string;
  from: LayerName;
  /** One line for the view and the summary: `held for review: .vscode/tasks.json matches **\/.vscode/** (...)`. */
  reason: string;
}

/** The patterns in force: the user's list (or the default one), plus what the repository adds. */
export function protectedPatterns(layers: SettingLayers | undefined): ProtectedPattern[] {
  return unionOfLists(layers, DEFAULT_PROTECTED_PATHS.map((p) => p.glob)).map(({ value, from }) => ({ glob: value, from }));
}

/**
 * Matches workspace-relative paths (forward slashes) against the patterns. Dot files match
 * (`**` crosses `.folders`), case is ignored (on Windows and macOS `.VSCode/tasks.json` is the
 * same file as `.vscode/tasks.json`), and a leading `!` is taken literally: no pattern can
 * exclude a path from protection.
 */
export class ProtectedPaths {
  private readonly matchers: { pattern: ProtectedPattern; test: (path: string) => boolean }[];

  constructor(patterns: readonly ProtectedPattern[]) {
    this.matchers = patterns.map((pattern) => ({
      pattern,
      test: picomatch(pattern.glob, { dot: true, nocase: true, nonegate: true }),
    }));
  }

  /** The first pattern that protects `path`, or undefined. */
  public match(path: string): ProtectedMatch | undefined {
    const normalised = path.replace(/\\/g, '/').replace(/^\.\//, '').replace(/^\/+/, '');
    for (const { pattern, test } of this.matchers) {
      if (test(normalised)) return { path: normalised, ...pattern, reason: describeMatch(normalised, pattern) };
    }
    return undefined;
  }

  /** For an edit that touches several paths (a rename: both), the first protected one. */
  public matchAny(paths: readonly string[]): ProtectedMatch | undefined {
    for (const path of paths) {
      const match = this.match(path);
      if (match) return match;
    }
    return undefined;
  }
}

function describeMatch(path: string, pattern: ProtectedPattern): string {
  const why = DEFAULT_PROTECTED_PATHS.find((p) => p.glob === pattern.glob)?.why;
  const where = pattern.from === 'user' ? 'runtools.protectedPaths in your user settings'
    : pattern.from === 'workspace' ? "runtools.protectedPaths in this workspace's settings"
      : pattern.from === 'workspaceFolder' ? "runtools.protectedPaths in this folder's settings"
        : undefined;
  const detail = [why, where].filter(Boolean).join('; ');
  return `held for review: ${path} matches ${pattern.glob}${detail ? ` (${detail})` : ''}`;
}
