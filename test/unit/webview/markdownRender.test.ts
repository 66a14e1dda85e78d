import * as assert from 'node:assert/strict';
import { isOpenableLink, markdownToHtml } from '../../../src/webview/markdownRender';

// markdown-it's own safety; the DOMPurify pass after it is tested in the browser (webviewHarness.e2e.ts).
describe('webview markdown rendering', () => {
  it('renders ordinary markdown', () => {
    const html = markdownToHtml('# Done\n\n- **one**\n- `two`\n\n```js\nlet x = 1 < 2;\n```');
    assert.match(html, /<h1>Done<\/h1>/);
    assert.match(html, /<strong>one<\/strong>/);
    assert.match(html, /<code>two<\/code>/);
    assert.match(html, /let x = 1 &lt; 2;/);
  });

  it('shows raw HTML as text', () => {
    const html = markdownToHtml('<script>alert(1)</script>\n\n<img src=x onerror=alert(1)> and <b onclick="x()">b</b>');
    assert.doesNotMatch(html, /<script|<img|<b /);
    assert.match(html, /&lt;script&gt;/);
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
  });

  it('does not link javascript:, data: or vbscript: URLs', () => {
    for (const url of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox', 'file:///etc/passwd']) {
      const html = markdownToHtml(`[x](${url}) and <${url}>`);
      assert.doesNotMatch(html, /href=/, url);
    }
  });

  it('links http(s) URLs, bare ones too, and turns images into links', () => {
    assert.match(markdownToHtml('see https://example.com/a?b=1'), /<a href="https:\/\/example.com\/a\?b=1">/);
    assert.match(markdownToHtml('[docs](http://localhost:3000)'), /<a href="http:\/\/localhost:3000">docs<\/a>/);
    const image = markdownToHtml('![a "cat"](https://example.com/cat.png)');
    assert.doesNotMatch(image, /<img/);
    assert.match(image, /<a href="https:\/\/example.com\/cat.png">a &quot;cat&quot;<\/a>/);
    assert.doesNotMatch(markdownToHtml('![x](javascript:alert(1))'), /href=/);
  });

  it('lets the host open only http(s) links', () => {
    assert.equal(isOpenableLink('https://example.com'), true);
    assert.equal(isOpenableLink('http://localhost:5173/'), true);
    assert.equal(isOpenableLink('mailto:a@b.c'), false);
    assert.equal(isOpenableLink('#anchor'), false);
    assert.equal(isOpenableLink('javascript:alert(1)'), false);
  });
});
