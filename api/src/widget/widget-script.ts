// The embeddable chat widget, served as GET /widget.js. Dependency-free ES2017, ~4 KB, so any
// site can add it with one tag:
//   <script src="https://api.example.com/widget.js" data-key="pk_…" async></script>
// It renders into a shadow root (the host page's CSS can't break it, nor it the page's), talks to
// /widget/v1 on the origin it was loaded from, and writes server text with textContent only:
// a reply is data, never markup.

const CSS = [
  ':host{all:initial}',
  '*{box-sizing:border-box;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}',
  '.launcher{position:fixed;right:20px;bottom:20px;z-index:2147483646;border:0;border-radius:24px;',
  'padding:12px 18px;background:#1f4fd1;color:#fff;font-size:15px;cursor:pointer;',
  'box-shadow:0 4px 14px rgba(0,0,0,.2)}',
  '.panel{position:fixed;right:20px;bottom:76px;z-index:2147483647;width:340px;max-width:calc(100vw - 40px);',
  'height:460px;max-height:calc(100vh - 100px);display:flex;flex-direction:column;background:#fff;',
  'border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.25);overflow:hidden}',
  '.panel[hidden]{display:none}',
  '.header{padding:12px 16px;background:#1f4fd1;color:#fff;font-weight:600;font-size:15px}',
  '.log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px;background:#f6f7f9}',
  '.msg{max-width:85%;padding:8px 12px;border-radius:12px;font-size:14px;line-height:1.4;',
  'white-space:pre-wrap;word-wrap:break-word}',
  '.visitor{align-self:flex-end;background:#1f4fd1;color:#fff}',
  '.agent{align-self:flex-start;background:#fff;color:#1b1b1b;border:1px solid #e3e5e8}',
  '.pending{color:#888}',
  '.error{align-self:flex-start;background:#fdecea;color:#8a1c14}',
  '.composer{display:flex;gap:8px;padding:10px;border-top:1px solid #e3e5e8;background:#fff}',
  '.composer input{flex:1;padding:9px 10px;border:1px solid #cfd3d8;border-radius:8px;font-size:14px}',
  '.composer button{border:0;border-radius:8px;padding:0 14px;background:#1f4fd1;color:#fff;font-size:14px;',
  'cursor:pointer}',
  '.composer button:disabled{opacity:.5;cursor:default}',
].join('')

const SCRIPT = String.raw`
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || !script.getAttribute('data-key')) return;
  var key = script.getAttribute('data-key');
  var api = new URL(script.src, location.href).origin;
  var title = script.getAttribute('data-title') || 'Chat with us';
  var storeKey = 'luneo-widget:' + key;
  var state = null;
  try { state = JSON.parse(sessionStorage.getItem(storeKey) || 'null'); } catch (e) { state = null; }
  function save() {
    try {
      if (state) sessionStorage.setItem(storeKey, JSON.stringify(state));
      else sessionStorage.removeItem(storeKey);
    } catch (e) { /* storage disabled: the conversation lasts as long as the page */ }
  }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  var host = el('div');
  host.setAttribute('data-luneo-widget', '');
  var root = host.attachShadow({ mode: 'open' });
  var style = el('style');
  style.textContent = __CSS__;
  var launcher = el('button', 'launcher', title);
  launcher.type = 'button';
  launcher.setAttribute('aria-expanded', 'false');
  var panel = el('div', 'panel');
  panel.hidden = true;
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-label', title);
  var log = el('div', 'log');
  log.setAttribute('aria-live', 'polite');
  var form = el('form', 'composer');
  var input = el('input');
  input.type = 'text';
  input.maxLength = 4000;
  input.placeholder = 'Type your question';
  input.setAttribute('aria-label', 'Your message');
  var send = el('button', null, 'Send');
  send.type = 'submit';
  form.appendChild(input);
  form.appendChild(send);
  panel.appendChild(el('div', 'header', title));
  panel.appendChild(log);
  panel.appendChild(form);
  root.appendChild(style);
  root.appendChild(panel);
  root.appendChild(launcher);

  launcher.addEventListener('click', function () {
    panel.hidden = !panel.hidden;
    launcher.setAttribute('aria-expanded', String(!panel.hidden));
    if (!panel.hidden) input.focus();
  });

  function add(cls, text) {
    var m = el('div', 'msg ' + cls, text);
    log.appendChild(m);
    log.scrollTop = log.scrollHeight;
    return m;
  }
  function post(path, body, token) {
    var headers = { 'content-type': 'application/json', 'x-luneo-widget-key': key };
    if (token) headers['x-luneo-widget-token'] = token;
    return fetch(api + path, {
      method: 'POST', mode: 'cors', credentials: 'omit', headers: headers, body: JSON.stringify(body)
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (res.ok) return data;
        var err = new Error(data.detail || 'HTTP ' + res.status);
        err.status = res.status;
        throw err;
      });
    });
  }
  function conversation() {
    if (state) return Promise.resolve(state);
    return post('/widget/v1/conversations', {}).then(function (d) {
      state = { conversationId: d.conversationId, token: d.token };
      save();
      return state;
    });
  }
  function ask(text, retried) {
    return conversation().then(function (s) {
      var path = '/widget/v1/conversations/' + encodeURIComponent(s.conversationId) + '/messages';
      return post(path, { text: text }, s.token);
    }).catch(function (err) {
      // An expired token (a day old) or a rotated key: start a fresh conversation, once.
      if (err.status === 401 && state && !retried) { state = null; save(); return ask(text, true); }
      throw err;
    });
  }
  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var text = input.value.trim();
    if (!text || send.disabled) return;
    input.value = '';
    add('visitor', text);
    var pending = add('agent pending', '...');
    send.disabled = true;
    ask(text).then(function (r) {
      pending.className = 'msg agent';
      pending.textContent = r.reply;
    }, function () {
      pending.className = 'msg error';
      pending.textContent = 'Sorry, the assistant is not reachable right now. Please try again later.';
    }).then(function () {
      send.disabled = false;
      input.focus();
    });
  });

  function mount() { document.body.appendChild(host); }
  if (document.body) mount(); else document.addEventListener('DOMContentLoaded', mount);
})();
`

/** The widget's JavaScript, with its stylesheet inlined as a string literal. */
export const WIDGET_SCRIPT = SCRIPT.replace('__CSS__', () => JSON.stringify(CSS))
