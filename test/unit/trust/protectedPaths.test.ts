import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_PROTECTED_PATHS, ProtectedPaths, protectedPatterns } from '../../../src/core/trust/protectedPaths';

const defaults = new ProtectedPaths(protectedPatterns(undefined));

describe('protected paths', () => {
  it('the defaults hold back files that run code or reconfigure tools, at any depth', () => {
    for (const file of [
      '.vscode/tasks.json', '.vscode/settings.json', 'web/.vscode/launch.json', 'team.code-workspace', 'a/b/x.code-workspace',
      '.devcontainer/devcontainer.json', '.github/workflows/ci.yml', 'packages/app/.github/workflows/release.yml',
      '.husky/pre-commit', '.githooks/pre-push', '.envrc', '.env', 'api/.env', '.env.local', 'api/.env.production',
      '.npmrc', '.yarnrc', '.yarnrc.yml', '.pnpmfile.cjs', '.gitlab-ci.yml', '.circleci/config.yml', '.pre-commit-config.yaml',
    ]) {
      assert.ok(defaults.match(file), `${file} should be protected`);
    }
  });

  it('leaves ordinary project files alone', () => {
    for (const file of ['src/App.tsx', 'README.md', 'package.json', 'vscode/notes.md', '.github/CODEOWNERS', 'env.ts', '.environment/x', 'src/.envelope.ts', 'docs/vscode-tips.md']) {
      assert.equal(defaults.match(file), undefined, `${file} should not be protected`);
    }
  });

  it('says which pattern matched and why, for the view', () => {
    const match = defaults.match('.vscode/tasks.json')!;
    assert.equal(match.glob, '**/.vscode/**');
    assert.equal(match.from, 'default');
    assert.match(match.reason, /^held for review: \.vscode\/tasks\.json matches \*\*\/\.vscode\/\*\* \(VS Code runs its tasks/);
  });

  it('ignores case (the same file on Windows and macOS) and takes backslashes and ./ as the same path', () => {
    assert.ok(defaults.match('.VSCode/Tasks.json'));
    assert.ok(defaults.match('web\\.vscode\\settings.json'));
    assert.ok(defaults.match('./.env'));
    assert.ok(defaults.match('/.github/workflows/x.yml'));
  });

  it('a rename is protected when either side is', () => {
    assert.equal(defaults.matchAny(['notes/tasks.json', '.vscode/tasks.json'])?.path, '.vscode/tasks.json');
    assert.equal(defaults.matchAny(['a.txt', 'b.txt']), undefined);
  });

  it('repository patterns add to the list and are named as theirs; a leading ! unprotects nothing', () => {
    const paths = new ProtectedPaths(protectedPatterns({ workspaceValue: ['infra/**', '!**/.vscode/**'], workspaceFolderValue: [] }));
    assert.match(paths.match('infra/main.tf')!.reason, /matches infra\/\*\* \(runtools\.protectedPaths in this workspace's settings\)/);
    assert.ok(paths.match('.vscode/tasks.json'), 'the defaults still hold');
    assert.equal(paths.match('src/a.ts'), undefined, 'a "!" pattern is literal, not "everything but"');
  });

  it('the user may replace the list, even with an empty one', () => {
    const none = new ProtectedPaths(protectedPatterns({ globalValue: [] }));
    assert.equal(none.match('.vscode/tasks.json'), undefined);
    const own = new ProtectedPaths(protectedPatterns({ globalValue: ['secrets/**'] }));
    assert.match(own.match('secrets/a')!.reason, /your user settings/);
  });

  it('package.json contributes the same defaults', () => {
    const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8'));
    assert.deepEqual(manifest.contributes.configuration.properties['runtools.protectedPaths'].default, DEFAULT_PROTECTED_PATHS.map((p) => p.glob));
  });
});
