import * as assert from 'node:assert/strict';
import { pathKey, relativiseText, splitForEllipsis, workspacePath } from '../../../src/webview/paths';
import { languageClasses } from '../../../src/webview/sanitizeClasses';
import { classifyTool } from '../../../src/webview/toolKinds';

describe('webview paths', () => {
  it('shows sandbox paths workspace-relative, and other paths as they are', () => {
    assert.equal(workspacePath('/workspace/app/index.html'), 'app/index.html');
    assert.equal(workspacePath('/workspace/app/index.html', '/workspace/'), 'app/index.html');
    assert.equal(workspacePath('/srv/box/a.js', '/srv/box'), 'a.js');
    assert.equal(workspacePath('/workspace'), '.');
    assert.equal(workspacePath('/workspaces/x.js'), '/workspaces/x.js', 'a prefix that is not a folder of the root');
    assert.equal(workspacePath('/etc/passwd'), '/etc/passwd');
    assert.equal(workspacePath('./src/a.ts'), 'src/a.ts');
    assert.equal(workspacePath('\\workspace\\src\\a.ts'), 'src/a.ts');
  });

  it('compares a tool path and an edit path by one key', () => {
    assert.equal(pathKey('/workspace/src//a.ts'), 'src/a.ts');
    assert.equal(pathKey('./src/./a.ts'), 'src/a.ts');
    assert.equal(pathKey(' src/a.ts '), 'src/a.ts');
    assert.notEqual(pathKey('/other/src/a.ts'), pathKey('src/a.ts'));
  });

  it('makes sandbox paths in a line of output relative, and nothing else', () => {
    assert.equal(relativiseText('Wrote 587 bytes to /workspace/app/index.html'), 'Wrote 587 bytes to app/index.html');
    assert.equal(relativiseText('cp "/workspace/a" (/workspace/b)'), 'cp "a" (b)');
    assert.equal(relativiseText('see /workspaces/x and x/workspace/y'), 'see /workspaces/x and x/workspace/y');
    assert.equal(relativiseText('/sb/a', '/sb/'), 'a');
  });

  it('cuts a long path in the middle: the folders give way, the file name stays', () => {
    assert.deepEqual(splitForEllipsis('src/components/forms/SignupForm.tsx'), { head: 'src/components/forms/', tail: 'SignupForm.tsx' });
    assert.deepEqual(splitForEllipsis('README.md'), { head: '', tail: 'README.md' });
    assert.deepEqual(splitForEllipsis('/abs/file'), { head: '/abs/', tail: 'file' });
    assert.deepEqual(splitForEllipsis('src/lib/'), { head: 'src/', tail: 'lib/' });
    assert.deepEqual(splitForEllipsis(''), { head: '', tail: '' });
    for (const path of ['a/b/c.txt', 'x', 'dir/', '/']) {
      const { head, tail } = splitForEllipsis(path);
      assert.equal(head + tail, path, `nothing lost of ${path}`);
    }
  });
});

describe('webview tool kinds', () => {
  it('reads shell commands from the usual tool names and inputs', () => {
    assert.deepEqual(classifyTool('bash', { command: 'npm test' }), { kind: 'shell', command: 'npm test' });
    assert.deepEqual(classifyTool('run_command', { cmd: ['ls', '-la'] }), { kind: 'shell', command: 'ls -la' });
    assert.deepEqual(classifyTool('shell', 'ls'), { kind: 'shell', command: 'ls' });
    assert.deepEqual(classifyTool('bash', { script: 1 }), { kind: 'other' });
  });

  it('tells writes from reads, listings and searches, by tool name or by an editor tool\'s command', () => {
    assert.deepEqual(classifyTool('write_file', { path: 'a.txt', content: '' }), { kind: 'file', action: 'write', path: 'a.txt' });
    assert.deepEqual(classifyTool('Edit', { file_path: '/workspace/a.ts' }), { kind: 'file', action: 'write', path: '/workspace/a.ts' });
    assert.deepEqual(classifyTool('str_replace_editor', { command: 'view', path: 'a.ts' }), { kind: 'file', action: 'read', path: 'a.ts' });
    assert.deepEqual(classifyTool('str_replace_editor', { command: 'str_replace', path: 'a.ts' }), { kind: 'file', action: 'write', path: 'a.ts' });
    assert.deepEqual(classifyTool('read_file', { path: 'a.ts' }), { kind: 'file', action: 'read', path: 'a.ts' });
    assert.deepEqual(classifyTool('list_dir', { path: 'src' }), { kind: 'file', action: 'list', path: 'src' });
    assert.deepEqual(classifyTool('grep', { path: 'src', pattern: 'x' }), { kind: 'file', action: 'search', path: 'src' });
  });

  it('calls anything else other: no path, an unknown verb, odd input', () => {
    assert.deepEqual(classifyTool('write_file', { content: 'no path' }), { kind: 'other' });
    assert.deepEqual(classifyTool('deploy', { path: 'app' }), { kind: 'other' });
    assert.deepEqual(classifyTool('write_file', ['a.txt']), { kind: 'other' });
    assert.deepEqual(classifyTool('write_file', null), { kind: 'other' });
    assert.deepEqual(classifyTool('write_file', { path: '   ' }), { kind: 'other' });
  });
});

describe('webview sanitiser classes', () => {
  it('keeps one language-* class and nothing else', () => {
    assert.equal(languageClasses('language-ts'), 'language-ts');
    assert.equal(languageClasses('language-c++ extra'), 'language-c++');
    assert.equal(languageClasses('hljs language-js language-ts'), 'language-js');
    assert.equal(languageClasses('x language-'), '');
    assert.equal(languageClasses('codicon codicon-close'), '');
    assert.equal(languageClasses('language-<script>'), '');
    assert.equal(languageClasses('language-a"b'), '');
    assert.equal(languageClasses(`language-${'x'.repeat(41)}`), '');
    assert.equal(languageClasses(''), '');
  });
});
