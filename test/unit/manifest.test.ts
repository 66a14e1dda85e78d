import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Commands, ContextKeys, SETTINGS_SECTION, Settings, Views } from '../../src/vscode/ids';

// ids.ts imports nothing from vscode, so it loads in plain Node.
const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8'));
const contributes = manifest.contributes;

describe('package.json and ids.ts agree', () => {
  it('contributes exactly the commands ids.ts names, each with the RunTools category and a title', () => {
    const contributed = contributes.commands.map((c: { command: string }) => c.command).sort();
    assert.deepEqual(contributed, Object.values(Commands).sort());
    for (const command of contributes.commands) {
      assert.equal(command.category, 'RunTools', command.command);
      assert.ok(command.title.length > 0 && command.title.length <= 40, command.command);
    }
  });

  it('contributes a setting for each key in ids.ts, each with a description, and no others', () => {
    const contributed = Object.keys(contributes.configuration.properties).sort();
    assert.deepEqual(contributed, Object.values(Settings).map((key) => `${SETTINGS_SECTION}.${key}`).sort());
    for (const [key, schema] of Object.entries<{ markdownDescription?: string; description?: string }>(contributes.configuration.properties)) {
      assert.ok((schema.markdownDescription ?? schema.description ?? '').length > 20, `${key} needs a description`);
    }
  });

  it('every setting has a scope chosen for remote windows too, and the ones that send code or the key are restricted', () => {
    // machine and machine-overridable user values are dropped by remote windows (code-server,
    // Remote-SSH, WSL, Codespaces) at the first configuration change.
    const restricted = ['baseUrl', 'apiSlug', 'params', 'context', 'mounts'].map((key) => `${SETTINGS_SECTION}.${key}`);
    for (const [key, schema] of Object.entries<{ scope?: string; restricted?: boolean }>(contributes.configuration.properties)) {
      assert.ok(['application', 'window', 'resource'].includes(schema.scope ?? ''), `${key}: scope ${schema.scope}`);
      assert.equal(schema.restricted === true, restricted.includes(key), `${key}: restricted`);
    }
    assert.deepEqual([...manifest.capabilities.untrustedWorkspaces.restrictedConfigurations].sort(), [...restricted].sort());
  });

  it('the chat view lives in the RunTools view container', () => {
    assert.equal(contributes.viewsContainers.activitybar[0].id, Views.container);
    assert.equal(contributes.views[Views.container][0].id, Views.chat);
  });

  it('the activity-bar icon is a product icon: a 24x24 SVG drawn in currentColor only', () => {
    const file = path.resolve(__dirname, '../..', contributes.viewsContainers.activitybar[0].icon);
    const svg = fs.readFileSync(file, 'utf8');
    assert.match(svg, /^<svg [^>]*viewBox="0 0 24 24"/);
    assert.match(svg, /width="24" height="24"/);
    // Monochrome, so the workbench can tint it: no colour but currentColor, no raster, no text, no script.
    const colours = [...svg.matchAll(/(?:fill|stroke|color)="([^"]*)"/g)].map((match) => match[1]);
    assert.ok(colours.length > 0 && colours.every((colour) => colour === 'none' || colour === 'currentColor'), colours.join(', '));
    assert.doesNotMatch(svg, /#[0-9a-f]{3,8}\b|rgb\(|<image|<text|<script|style=/i);
  });

  it('menus refer only to contributed commands and known context keys', () => {
    const commands = new Set(Object.values(Commands) as string[]);
    for (const [menu, items] of Object.entries<{ command: string; when?: string }[]>(contributes.menus)) {
      for (const item of items) {
        assert.ok(commands.has(item.command), `${menu}: ${item.command}`);
        for (const key of item.when?.match(/runtools\.\w+/g) ?? []) {
          const known = [...Object.values(ContextKeys), ...Object.values(Views)] as string[];
          assert.ok(known.includes(key), `${menu}: unknown context key ${key}`);
        }
      }
    }
  });

  it('engines.vscode is no newer than the test host (1.100) and @types/vscode matches it', () => {
    assert.match(manifest.engines.vscode, /^\^1\.(\d+)\./);
    const minor = Number(/^\^1\.(\d+)\./.exec(manifest.engines.vscode)![1]);
    assert.ok(minor <= 100);
    assert.equal(manifest.devDependencies['@types/vscode'], `1.${minor}.0`);
  });
});
