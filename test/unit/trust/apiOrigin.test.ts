import * as assert from 'node:assert/strict';
import { RunClient } from '../../../src/core/run';
import { checkApiBaseUrl, isLoopbackHost, originOf } from '../../../src/core/trust/apiOrigin';

describe('API origins: where the key may go', () => {
  it('accepts https anywhere and plain http on this machine only', () => {
    for (const url of ['https://api.runtools.ai', 'https://api.runtools.ai/prefix/', 'http://127.0.0.1:8787', 'http://localhost:3000', 'http://[::1]:9', 'http://127.1.2.3', 'http://LOCALHOST']) {
      const check = checkApiBaseUrl(url);
      assert.ok(check.ok, `${url}: ${!check.ok ? check.message : ''}`);
    }
    assert.deepEqual(checkApiBaseUrl('https://api.runtools.ai/prefix/?q=1#x'), { ok: true, baseUrl: 'https://api.runtools.ai/prefix', origin: 'https://api.runtools.ai' });
  });

  it('refuses plain http to any other host, saying why and what to do', () => {
    for (const url of ['http://api.runtools.ai', 'http://192.168.1.10:8080', 'http://10.0.0.1', 'http://localhost.evil.example', 'http://foo.localhost', 'http://[::2]', 'http://0.0.0.0']) {
      const check = checkApiBaseUrl(url);
      assert.equal(check.ok, false, url);
      if (!check.ok) {
        assert.match(check.message, /plain http/);
        assert.match(check.hint, /https:\/\/.*localhost, 127\.0\.0\.1/);
      }
    }
  });

  it('refuses what is not an http(s) URL, and credentials in the URL', () => {
    for (const [url, why] of [['ftp://api.runtools.ai', /http:\/\/ or https:\/\//], ['api.runtools.ai', /not a URL/], ['', /not a URL/], ['https://user:pw@api.runtools.ai', /user name or password/]] as const) {
      const check = checkApiBaseUrl(url);
      assert.equal(check.ok, false, url);
      if (!check.ok) assert.match(check.message, why);
    }
  });

  it('knows loopback names and addresses, IPv4-mapped ones included', () => {
    assert.equal(isLoopbackHost('[::ffff:7f00:1]'), true);
    assert.equal(new URL('http://[::ffff:127.0.0.1]/').hostname, '[::ffff:7f00:1]');
    assert.equal(isLoopbackHost('[::ffff:a00:1]'), false); // 10.0.0.1
    assert.equal(isLoopbackHost('128.0.0.1'), false);
  });

  it('originOf: the origin of a URL, undefined for anything else', () => {
    assert.equal(originOf('https://a.example:8443/x?y'), 'https://a.example:8443');
    assert.equal(originOf('not a url'), undefined);
    assert.equal(originOf('data:text/plain,x'), undefined);
  });

  it('the run client itself refuses plain http to another host, before any request', () => {
    assert.throws(() => new RunClient({ baseUrl: 'http://api.runtools.ai', apiKey: 'rt_test_x' }), /plain http/);
    assert.doesNotThrow(() => new RunClient({ baseUrl: 'http://127.0.0.1:1', apiKey: 'rt_test_x' }));
  });
});
