// The report page's inline script, shipped as a string so the built package needs no asset files.
// It reads the JSON island, adds the filters and the search (kept in the URL hash), draws passed
// checks of big fleets on demand, and opens what matters before printing. Data only ever goes
// into the page through textContent. Plain ES2019 without template literals (this is one).
export const CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var island = document.getElementById('report-data');
  if (!island) return;
  var data = JSON.parse(island.textContent || '{}');
  addCopyButtons(document);
  addShellSwitch();
  var GLYPH = { pass: '\u2713', warn: '!', fail: '\u2717', skip: '-', error: '?' };
  var LABEL = { pass: 'passed', warn: 'warned', fail: 'failed', skip: 'skipped', error: 'error' };
  var STATUSES = ['fail', 'error', 'warn', 'skip', 'pass'];
  var form = document.getElementById('filters');
  var shown = document.getElementById('shown');
  var noMatch = document.getElementById('no-match');
  var targetEls = Array.prototype.slice.call(document.querySelectorAll('details.target'));
  var SIDES = [];
  Object.keys(data.checks).forEach(function (id) {
    var side = data.checks[id].side;
    if (SIDES.indexOf(side) < 0) SIDES.push(side);
  });
  var strings = data.strings;
  function text(i) { return i === undefined ? '' : strings[i]; }
  function evidence(r) { return r.evidence ? r.evidence.map(text).join('\n') : ''; }

  // Fix commands, made easier to paste: a copy button on each command, and one switch for the page
  // that shows the commands of one shell. Without the script both shells show, as plain text.
  function copyText(value, button) {
    var done = function () { button.textContent = 'Copied'; setTimeout(function () { button.textContent = 'Copy'; }, 1500); };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(value).then(done, function () { fallbackCopy(value); done(); });
    } else { fallbackCopy(value); done(); }
  }
  function fallbackCopy(value) {
    var area = document.createElement('textarea');
    area.value = value;
    area.setAttribute('readonly', '');
    area.style.position = 'absolute';
    area.style.left = '-9999px';
    document.body.appendChild(area);
    area.select();
    try { document.execCommand('copy'); } catch (e) { /* nothing more to try */ }
    document.body.removeChild(area);
  }
  function addCopyButtons(root) {
    Array.prototype.forEach.call(root.querySelectorAll('.cmd pre'), function (pre) {
      if (pre.getAttribute('data-copy')) return;
      pre.setAttribute('data-copy', '1');
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'copy';
      button.textContent = 'Copy';
      var shell = pre.parentNode && pre.parentNode.className.indexOf('sh-powershell') >= 0 ? 'PowerShell' : 'bash';
      button.setAttribute('aria-label', 'Copy the ' + shell + ' command');
      button.addEventListener('click', function () { copyText(pre.textContent || '', button); });
      pre.parentNode.insertBefore(button, pre);
    });
  }
  function addShellSwitch() {
    if (!document.querySelector('.fix .cmd')) return;
    var main = document.getElementById('main') || document.body;
    var box = document.createElement('div');
    box.className = 'shell-switch';
    box.setAttribute('role', 'group');
    box.setAttribute('aria-label', 'Shell of the fix commands');
    box.appendChild(document.createTextNode('Fix commands for: '));
    [['both', 'both shells'], ['bash', 'bash'], ['powershell', 'PowerShell']].forEach(function (choice) {
      var label = document.createElement('label');
      var input = document.createElement('input');
      input.type = 'radio';
      input.name = 'shell';
      input.value = choice[0];
      input.checked = choice[0] === 'both';
      input.addEventListener('change', function () {
        if (choice[0] === 'both') document.body.removeAttribute('data-shell');
        else document.body.setAttribute('data-shell', choice[0]);
      });
      label.appendChild(input);
      label.appendChild(document.createTextNode(' ' + choice[1]));
      box.appendChild(label);
    });
    main.insertBefore(box, main.firstChild);
  }
  function fixText(f) {
    if (!f) return '';
    return [text(f.summary)].concat(f.steps.map(function (s) { return [text(s.text), text(s.bash), text(s.powershell)].join('\n'); })).join('\n');
  }
  var total = 0;
  // One lower-case haystack per result for the search.
  var haystack = data.targets.map(function (t) {
    return t.results.map(function (r) {
      total++;
      var c = data.checks[r.id] || {};
      return [r.id, c.title, text(r.message), evidence(r), fixText(r.fix), r.blockedBy, r.skipReason, t.name, t.workspaceId]
        .filter(Boolean).join('\n').toLowerCase();
    });
  });

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  // The same markup as the static rows drawn by reports/html.ts.
  function renderRow(t, k) {
    var r = t.results[k];
    var c = data.checks[r.id] || { title: '', side: '', severity: '', docStep: '' };
    var status = r.status === 'skip' && r.skipReason ? 'skipped (' + r.skipReason + ')' : LABEL[r.status];
    var li = el('li', 'check s-' + r.status);
    li.setAttribute('data-c', String(k));
    li.id = 'c-' + data.targets.indexOf(t) + '-' + k;
    var details = el('details');
    if (!data.meta.lazyPasses && (r.status === 'fail' || r.status === 'error')) details.open = true;
    var summary = el('summary');
    var glyph = el('span', 'glyph', GLYPH[r.status]);
    glyph.setAttribute('aria-hidden', 'true');
    summary.appendChild(glyph);
    summary.appendChild(el('span', 'sr', status + ': '));
    summary.appendChild(el('code', 'id', r.id));
    summary.appendChild(el('span', 'title', c.title));
    summary.appendChild(el('span', 'msg', text(r.message)));
    details.appendChild(summary);
    var body = el('div', 'body');
    var dl = el('dl', 'facts');
    var facts = [['Status', status], ['Severity', c.severity], ['Side', c.side]];
    if (c.docStep) facts.push(['Setup step', c.docStep]);
    facts.push(['Time', Math.round(r.durationMs) + ' ms']);
    if (r.blockedBy) facts.push(['Blocked by', r.blockedBy]);
    if (r.waiver) facts.push(['Waiver', r.waiver]);
    facts.forEach(function (f) {
      var div = el('div');
      div.appendChild(el('dt', null, f[0]));
      div.appendChild(el('dd', null, f[1]));
      dl.appendChild(div);
    });
    body.appendChild(dl);
    if (r.evidence) {
      var ev = el('div', 'evidence');
      ev.appendChild(el('p', 'label', 'Evidence'));
      var pre = el('pre', null, evidence(r));
      pre.tabIndex = 0; // scrollable: reachable by keyboard
      ev.appendChild(pre);
      body.appendChild(ev);
    }
    if (r.fix) body.appendChild(renderFix(r.fix));
    details.appendChild(body);
    li.appendChild(details);
    return li;
  }

  // The same markup as fixBlock in reports/html.ts: each step with its tenant and both commands, whole.
  function renderFix(f) {
    var box = el('div', 'fix');
    var head = el('p');
    head.appendChild(el('strong', null, 'Fix'));
    head.appendChild(document.createTextNode(' ' + text(f.summary)));
    box.appendChild(head);
    if (f.steps.length) {
      var ol = el('ol', 'steps');
      f.steps.forEach(function (s) {
        var li = el('li');
        if (s.where) { li.appendChild(el('span', 'tenant', s.where)); li.appendChild(document.createTextNode(' ')); }
        li.appendChild(document.createTextNode(text(s.text)));
        if (s.bash !== undefined) {
          var cmd = el('div', 'cmd');
          [['bash', 'bash'], ['powershell', 'PowerShell']].forEach(function (sh) {
            var block = el('div', 'sh sh-' + sh[0]);
            block.appendChild(el('p', 'shell', sh[1]));
            var pre = el('pre');
            pre.tabIndex = 0;
            pre.appendChild(el('code', null, text(s[sh[0]])));
            block.appendChild(pre);
            cmd.appendChild(block);
          });
          addCopyButtons(cmd);
          li.appendChild(cmd);
        }
        ol.appendChild(li);
      });
      box.appendChild(ol);
    }
    return box;
  }

  // Big fleets: a target's passed checks are drawn the first time it opens.
  function ensureRows(tEl) {
    if (!tEl.hasAttribute('data-lazy')) return;
    var t = data.targets[Number(tEl.getAttribute('data-t'))];
    var list = tEl.querySelector('ul.checks');
    var frag = document.createDocumentFragment();
    for (var k = 0; k < t.results.length; k++) frag.appendChild(renderRow(t, k));
    while (list.firstChild) list.removeChild(list.firstChild);
    list.appendChild(frag);
    var passed = tEl.querySelector('p.passed');
    if (passed) passed.parentNode.removeChild(passed);
    tEl.removeAttribute('data-lazy');
    applyRows(tEl);
  }

  // ---- filter state, kept in the URL hash: #status=fail,error&side=local&target=x&q=zone ----
  var state = readHash();

  function pick(value, all) {
    if (value === null) return all.slice();
    return value.split(',').filter(function (v) { return all.indexOf(v) >= 0; });
  }
  function readHash() {
    var hash = location.hash.replace(/^#/, '');
    var p = new URLSearchParams(/^t-\d+$/.test(hash) ? '' : hash);
    return { status: p.get('status') === null ? data.meta.defaultStatuses.slice() : pick(p.get('status'), STATUSES), side: pick(p.get('side'), SIDES), target: p.get('target') || '', q: p.get('q') || '' };
  }
  function sameStatuses(a, b) { return a.length === b.length && a.every(function (s) { return b.indexOf(s) >= 0; }); }
  function active() {
    return !sameStatuses(state.status, data.meta.defaultStatuses) || state.side.length < SIDES.length || state.target !== '' || state.q.trim() !== '';
  }
  function writeHash() {
    var p = new URLSearchParams();
    if (!sameStatuses(state.status, data.meta.defaultStatuses)) p.set('status', state.status.join(','));
    if (state.side.length < SIDES.length) p.set('side', state.side.join(','));
    if (state.target) p.set('target', state.target);
    if (state.q) p.set('q', state.q);
    var text = p.toString();
    var url = location.href.split('#')[0] + (text ? '#' + text : '');
    try { history.replaceState(null, '', url); } catch (e) { location.hash = text; }
  }
  function readForm() {
    var checked = function (name) {
      return Array.prototype.slice.call(form.querySelectorAll('input[name="' + name + '"]:checked')).map(function (i) { return i.value; });
    };
    var select = form.querySelector('select[name="target"]');
    state = { status: checked('status'), side: checked('side'), target: select ? select.value : '', q: form.querySelector('input[name="q"]').value };
  }
  function writeForm() {
    Array.prototype.forEach.call(form.querySelectorAll('input[name="status"]'), function (i) { i.checked = state.status.indexOf(i.value) >= 0; });
    Array.prototype.forEach.call(form.querySelectorAll('input[name="side"]'), function (i) { i.checked = state.side.indexOf(i.value) >= 0; });
    var select = form.querySelector('select[name="target"]');
    if (select) select.value = state.target;
    form.querySelector('input[name="q"]').value = state.q;
  }

  function matches(ti, k) {
    var t = data.targets[ti];
    var r = t.results[k];
    var c = data.checks[r.id] || {};
    if (state.status.indexOf(r.status) < 0) return false;
    if (state.side.indexOf(c.side) < 0) return false;
    if (state.target && state.target !== t.name) return false;
    var words = state.q.toLowerCase().split(/\s+/).filter(Boolean);
    for (var w = 0; w < words.length; w++) if (haystack[ti][k].indexOf(words[w]) < 0) return false;
    return true;
  }

  var visible = {};
  function applyRows(tEl) {
    var vis = visible[tEl.getAttribute('data-t')] || [];
    Array.prototype.forEach.call(tEl.querySelectorAll('li.check'), function (li) {
      li.hidden = !vis[Number(li.getAttribute('data-c'))];
    });
    var passed = tEl.querySelector('p.passed');
    if (passed) passed.hidden = state.status.indexOf('pass') < 0 || !vis.some(function (v, k) { return v && data.targets[Number(tEl.getAttribute('data-t'))].results[k].status === 'pass'; });
  }

  function apply() {
    var shownChecks = 0;
    var matchedTargets = [];
    targetEls.forEach(function (tEl) {
      var ti = Number(tEl.getAttribute('data-t'));
      var vis = [];
      var n = 0;
      for (var k = 0; k < data.targets[ti].results.length; k++) if ((vis[k] = matches(ti, k))) n++;
      visible[ti] = vis;
      tEl.hidden = n === 0;
      if (n) matchedTargets.push(tEl);
      shownChecks += n;
      applyRows(tEl);
    });
    // A narrow filter opens what it found; a broad one leaves the fleet folded.
    if (active() && matchedTargets.length <= 30) matchedTargets.forEach(function (tEl) { tEl.open = true; });
    var hiddenNote = document.getElementById('passes-hidden');
    if (hiddenNote) hiddenNote.hidden = state.status.indexOf('pass') >= 0;
    shown.textContent = 'Showing ' + shownChecks + ' of ' + total + ' checks in ' + matchedTargets.length + ' of ' + targetEls.length + ' targets';
    noMatch.hidden = shownChecks > 0;
  }

  document.addEventListener('toggle', function (event) {
    var tEl = event.target;
    if (tEl && tEl.classList && tEl.classList.contains('target') && tEl.open) ensureRows(tEl);
  }, true);

  function goToTarget(hash) {
    var tEl = document.getElementById(hash.replace(/^#/, ''));
    if (!tEl) return;
    tEl.hidden = false;
    tEl.open = true;
    ensureRows(tEl);
    tEl.scrollIntoView();
  }
  // Links from the root causes to a target open it without touching the filters in the hash.
  document.addEventListener('click', function (event) {
    var a = event.target && event.target.closest ? event.target.closest('a[href^="#t-"]') : null;
    if (!a) return;
    event.preventDefault();
    goToTarget(a.getAttribute('href'));
  });
  window.addEventListener('hashchange', function () {
    if (/^#t-\d+$/.test(location.hash)) return goToTarget(location.hash);
    state = readHash();
    writeForm();
    apply();
  });

  form.addEventListener('input', function () { readForm(); writeHash(); apply(); });
  form.addEventListener('change', function () { readForm(); writeHash(); apply(); });
  form.addEventListener('submit', function (event) { event.preventDefault(); });
  form.addEventListener('reset', function () { setTimeout(function () { readForm(); writeHash(); apply(); }, 0); });

  // Printing: open every target and check that needs attention.
  window.addEventListener('beforeprint', function () {
    targetEls.forEach(function (tEl) {
      if (tEl.hidden || tEl.classList.contains('s-pass') || tEl.classList.contains('s-skip')) return;
      tEl.open = true;
      ensureRows(tEl);
      Array.prototype.forEach.call(tEl.querySelectorAll('li.check:not(.s-pass):not(.s-skip) > details'), function (d) { d.open = true; });
    });
  });

  form.hidden = false;
  writeForm();
  apply();
  if (/^#t-\d+$/.test(location.hash)) goToTarget(location.hash);
  targetEls.forEach(function (tEl) { if (tEl.open) ensureRows(tEl); });
})();
`;
