// The report page's stylesheet, shipped as a string (inlined into report.html). Light and dark
// follow prefers-color-scheme; colours keep WCAG AA contrast in both; a print sheet drops the chrome.
export const STYLES = String.raw`
:root {
  color-scheme: light dark;
  --bg: #f5f6f8; --card: #ffffff; --text: #1b1f24; --muted: #57606a; --border: #d0d7de; --code-bg: #f0f2f5;
  --pass: #1a7f37; --pass-bg: #dafbe1; --warn: #8a5c00; --warn-bg: #fff5c2; --fail: #c2222c; --fail-bg: #ffebe9;
  --error: #7a45d4; --error-bg: #f6edff; --skip: #57606a; --skip-bg: #eaeef2; --fix-bg: #eef6ff; --fix-border: #0969da;
  --link: #0757ba; --shadow: 0 1px 2px rgba(31, 35, 40, .06);
  --mono: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117; --card: #161b22; --text: #e6edf3; --muted: #9da7b3; --border: #30363d; --code-bg: #1f252d;
    --pass: #4ac26b; --pass-bg: #12261a; --warn: #e3b341; --warn-bg: #2b2111; --fail: #ff7b72; --fail-bg: #301314;
    --error: #c297ff; --error-bg: #241a33; --skip: #9da7b3; --skip-bg: #21262d; --fix-bg: #0f2136; --fix-border: #4493f8;
    --link: #6cb6ff; --shadow: none;
  }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--text); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Ubuntu, "Helvetica Neue", Arial, sans-serif; }
header.top, main, footer { max-width: 1120px; margin: 0 auto; padding: 0 20px; }
a { color: var(--link); }
code, pre { font-family: var(--mono); font-size: .9em; }
.muted { color: var(--muted); }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
[hidden] { display: none !important; }

header.top { padding-top: 28px; padding-bottom: 8px; }
.brand { margin: 0 0 6px; font-weight: 600; letter-spacing: .02em; color: var(--muted); }
.verdict { margin: 0; font-size: 1.55rem; line-height: 1.3; padding: 14px 18px; border-radius: 10px; background: var(--card); border: 1px solid var(--border); border-left: 6px solid var(--skip); box-shadow: var(--shadow); }
.v-pass .verdict { border-left-color: var(--pass); }
.v-fail .verdict { border-left-color: var(--fail); }
.v-error .verdict { border-left-color: var(--error); }
.v-pass .verdict .glyph { color: var(--pass); }
.v-fail .verdict .glyph { color: var(--fail); }
.v-error .verdict .glyph { color: var(--error); }
.meta { margin: 10px 0 0; color: var(--muted); font-size: .92rem; }
.detail { margin: 8px 0 0; color: var(--muted); font-size: .95rem; }
.v-error .verdict { border-left-color: var(--warn); }
.v-error .verdict .glyph { color: var(--warn); }

/* The path picture: colours from the variables above, so dark mode follows. */
.path-figure { margin: 14px 0 4px; }
svg.path { display: block; max-width: 100%; height: auto; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Ubuntu, Arial, sans-serif; }
svg.path .frame rect { fill: none; stroke: var(--border); stroke-dasharray: 6 4; stroke-width: 1.5; }
svg.path .frame-label { fill: var(--muted); font-size: 12px; font-weight: 700; letter-spacing: .08em; }
svg.path .hop rect { fill: var(--card); stroke: var(--skip); stroke-width: 2; }
svg.path .hop.s-pass rect { fill: var(--pass-bg); stroke: var(--pass); }
svg.path .hop.s-warn rect { fill: var(--warn-bg); stroke: var(--warn); }
svg.path .hop.s-fail rect { fill: var(--fail-bg); stroke: var(--fail); }
svg.path .hop.s-error rect { fill: var(--error-bg); stroke: var(--error); }
svg.path .hop.s-skip rect { fill: var(--skip-bg); stroke: var(--skip); stroke-dasharray: 4 3; }
svg.path .hop.root rect { stroke-width: 4; }
svg.path .hop-label { fill: var(--text); font-size: 13.5px; font-weight: 700; }
svg.path .hop-detail { fill: var(--text); font-size: 11.5px; }
svg.path .hop.s-skip .hop-label, svg.path .hop.s-skip .hop-detail { fill: var(--muted); }
svg.path .hop-root { fill: var(--fail); font-size: 10px; font-weight: 800; letter-spacing: .06em; }
svg.path .link { stroke: var(--muted); stroke-width: 2; }
svg.path .link.s-fail { stroke: var(--fail); }
svg.path .arrow-head { fill: var(--muted); }
svg.path a.hop-link:focus-visible rect { outline: none; stroke: var(--fix-border); stroke-width: 4; }
.path-text > summary, .heat-map > summary { cursor: pointer; color: var(--muted); font-weight: 600; font-size: .9rem; }
.hop-list { margin: 6px 0; padding-left: 22px; font-size: .92rem; overflow-wrap: anywhere; }
.hop-list .mark { font-weight: 700; }
.hop-list li.s-fail .mark { color: var(--fail); } .hop-list li.s-pass .mark { color: var(--pass); }
.hop-list li.s-warn .mark { color: var(--warn); } .hop-list li.s-error .mark { color: var(--error); }
.hop-checks a { margin-left: 6px; font-family: var(--mono); font-size: .85em; }
.root-tag { color: var(--fail); }
.heat-wrap { max-height: 420px; overflow: auto; border: 1px solid var(--border); border-radius: 8px; margin-top: 6px; background: var(--card); }
table.heat { border-collapse: collapse; font-size: .82rem; width: 100%; }
table.heat th, table.heat td { border-bottom: 1px solid var(--border); padding: 3px 6px; text-align: center; }
table.heat thead th { position: sticky; top: 0; background: var(--card); font-weight: 600; vertical-align: bottom; }
table.heat th[scope="row"] { text-align: left; white-space: nowrap; font-weight: 600; }
table.heat td.s-pass { background: var(--pass-bg); color: var(--pass); }
table.heat td.s-fail { background: var(--fail-bg); color: var(--fail); font-weight: 700; }
table.heat td.s-error { background: var(--error-bg); color: var(--error); }
table.heat td.s-warn { background: var(--warn-bg); color: var(--warn); }
table.heat td.s-skip { background: var(--skip-bg); color: var(--text); }
table.heat td.root { outline: 2px solid var(--fail); outline-offset: -2px; }
.tally { list-style: none; display: grid; grid-template-columns: repeat(5, minmax(0, 1fr)); gap: 10px; padding: 0; margin: 16px 0 4px; }
.tally li { background: var(--card); border: 1px solid var(--border); border-radius: 10px; padding: 10px 14px; box-shadow: var(--shadow); border-top: 4px solid var(--skip); }
.tally .n { display: block; font-size: 1.7rem; font-weight: 700; line-height: 1.1; }
.tally .l { color: var(--muted); font-size: .9rem; }
.tally .s-pass { border-top-color: var(--pass); } .tally .s-fail { border-top-color: var(--fail); }
.tally .s-warn { border-top-color: var(--warn); } .tally .s-error { border-top-color: var(--error); }

h2 { font-size: 1.2rem; margin: 28px 0 4px; }
section > p.muted { margin-top: 0; }
.all-good { background: var(--pass-bg); color: var(--text); border-radius: 8px; padding: 10px 14px; }

.causes { list-style: none; padding: 0; margin: 10px 0 0; display: grid; gap: 12px; }
.cause { background: var(--card); border: 1px solid var(--border); border-left: 5px solid var(--skip); border-radius: 10px; padding: 12px 16px; box-shadow: var(--shadow); }
.cause.s-fail { border-left-color: var(--fail); } .cause.s-error { border-left-color: var(--error); } .cause.s-warn { border-left-color: var(--warn); }
.cause-head { margin: 0; display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 10px; }
.cause-head code { font-weight: 700; font-size: 1rem; }
.cause .glyph { font-weight: 700; }
.s-fail > .cause-head .glyph, .s-fail > summary .glyph { color: var(--fail); }
.s-error > .cause-head .glyph, .s-error > summary .glyph { color: var(--error); }
.s-warn > .cause-head .glyph, .s-warn > summary .glyph { color: var(--warn); }
.where { margin: 8px 0; padding-left: 20px; overflow-wrap: anywhere; }
.blocks { color: var(--muted); font-size: .88rem; }
.blocks::before { content: "· "; }
.fix { margin: 8px 0 0; padding: 8px 12px; background: var(--fix-bg); border-left: 3px solid var(--fix-border); border-radius: 6px; overflow-wrap: anywhere; }
.fix strong { margin-right: 4px; }
.fix p { margin: 0; }
.fix ol.steps { margin: 6px 0 0; padding-left: 20px; }
.fix ol.steps li { margin: 4px 0; }
.fix .tenant { font-size: .78rem; font-weight: 700; border: 1px solid var(--fix-border); border-radius: 999px; padding: 0 7px; }
.fix .shell { margin: 6px 0 2px; font-size: .75rem; font-weight: 700; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
.fix .sh { position: relative; }
.fix button.copy { float: right; margin: 2px 0; font: inherit; font-size: .75rem; padding: 1px 8px; border: 1px solid var(--muted); border-radius: 4px; background: transparent; color: inherit; cursor: pointer; }
body[data-shell="bash"] .fix .sh-powershell, body[data-shell="powershell"] .fix .sh-bash { display: none; }
.shell-switch { margin: 8px 0 12px; font-size: .9rem; }
.shell-switch label { margin-left: 10px; }
.fix pre { margin: 0; padding: 8px 10px; background: var(--code-bg); border: 1px solid var(--border); border-radius: 6px; white-space: pre-wrap; overflow-wrap: anywhere; }
.cause .sentence { font-weight: 700; font-size: 1.08rem; flex: 1 1 0; min-width: 0; }
.cause-meta, .resources { margin: 6px 0 0; color: var(--muted); font-size: .88rem; overflow-wrap: anywhere; }
.symptoms { margin-top: 8px; }
.symptoms > summary { cursor: pointer; color: var(--muted); font-size: .9rem; }
.symptoms ul { margin: 4px 0; padding-left: 20px; font-size: .9rem; overflow-wrap: anywhere; }
.not-evaluated { background: var(--warn-bg); color: var(--text); border-radius: 8px; padding: 10px 14px; }
.badges { display: inline-flex; gap: 6px; margin-left: auto; }
.badge { font-size: .78rem; border: 1px solid var(--border); border-radius: 999px; padding: 1px 8px; color: var(--muted); white-space: nowrap; }
.badge.sev-critical, .badge.sev-high { color: var(--fail); border-color: currentColor; }
a.badge.step { color: var(--link); }

.filters { background: var(--card); border: 1px solid var(--border); border-radius: 10px; padding: 10px 14px; margin: 12px 0; box-shadow: var(--shadow); }
.filters fieldset { border: 0; padding: 0; margin: 0 0 8px; display: flex; flex-wrap: wrap; gap: 6px; align-items: center; }
.filters legend { float: left; font-weight: 600; font-size: .88rem; margin-right: 8px; color: var(--muted); min-width: 3.5em; }
.chip { display: inline-flex; align-items: center; gap: 5px; border: 1px solid var(--border); border-radius: 999px; padding: 2px 10px 2px 6px; cursor: pointer; font-size: .9rem; user-select: none; }
.chip:has(input:checked) { background: var(--code-bg); }
.chip.s-fail span[aria-hidden] { color: var(--fail); } .chip.s-pass span[aria-hidden] { color: var(--pass); }
.chip.s-warn span[aria-hidden] { color: var(--warn); } .chip.s-error span[aria-hidden] { color: var(--error); }
.row { display: flex; flex-wrap: wrap; gap: 10px; align-items: end; }
.field { display: flex; flex-direction: column; font-size: .85rem; font-weight: 600; color: var(--muted); gap: 2px; }
.field.grow { flex: 1 1 280px; }
input[type="search"], select, button { font: inherit; color: var(--text); background: var(--bg); border: 1px solid var(--border); border-radius: 6px; padding: 5px 8px; }
button { cursor: pointer; font-weight: 600; }
#shown { margin: 6px 0 0; font-size: .88rem; }
.note { background: var(--card); border: 1px dashed var(--border); border-radius: 8px; padding: 8px 12px; color: var(--muted); }

details.target { background: var(--card); border: 1px solid var(--border); border-radius: 10px; margin: 10px 0; box-shadow: var(--shadow); border-left: 5px solid var(--skip); }
details.target.s-pass { border-left-color: var(--pass); } details.target.s-fail { border-left-color: var(--fail); }
details.target.s-warn { border-left-color: var(--warn); } details.target.s-error { border-left-color: var(--error); }
details.target > summary { cursor: pointer; padding: 10px 14px; display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 12px; list-style-position: outside; }
details.target > summary::-webkit-details-marker { display: none; }
details.target > summary::before { content: "\25B8"; color: var(--muted); width: 1em; }
details.target[open] > summary::before { content: "\25BE"; }
details.target > summary .glyph { font-weight: 700; }
details.target.s-pass > summary .glyph { color: var(--pass); }
.tname { font-weight: 700; font-size: 1.05rem; overflow-wrap: anywhere; }
.ws { color: var(--muted); font-size: .85rem; }
.pills { display: inline-flex; flex-wrap: wrap; gap: 6px; margin-left: auto; }
.pill { font-size: .8rem; border-radius: 999px; padding: 1px 9px; font-weight: 600; white-space: nowrap; }
.pill.s-pass { background: var(--pass-bg); color: var(--pass); } .pill.s-fail { background: var(--fail-bg); color: var(--fail); }
.pill.s-warn { background: var(--warn-bg); color: var(--warn); } .pill.s-error { background: var(--error-bg); color: var(--error); }
.pill.s-skip { background: var(--skip-bg); color: var(--text); }

ul.checks { list-style: none; margin: 0; padding: 0 0 6px; border-top: 1px solid var(--border); }
li.check { border-bottom: 1px solid var(--border); }
li.check:last-child { border-bottom: 0; }
li.check > details > summary { cursor: pointer; padding: 7px 14px 7px 18px; display: grid; grid-template-columns: 1.3em 17em 1fr; column-gap: 10px; align-items: baseline; }
li.check > details > summary::-webkit-details-marker { display: none; }
li.check > details > summary:hover { background: var(--code-bg); }
li.check .glyph { font-weight: 700; text-align: center; }
li.check.s-pass .glyph { color: var(--pass); } li.check.s-skip .glyph { color: var(--skip); }
li.check .id { font-weight: 600; overflow-wrap: anywhere; }
li.check .title { color: var(--muted); font-size: .88rem; }
li.check .msg { grid-column: 2 / -1; overflow-wrap: anywhere; }
li.check.s-skip .msg, li.check.s-skip .id { color: var(--muted); }
li.check.s-fail { background: linear-gradient(90deg, var(--fail-bg), transparent 40%); }
li.check.s-error { background: linear-gradient(90deg, var(--error-bg), transparent 40%); }
li.check.s-warn { background: linear-gradient(90deg, var(--warn-bg), transparent 40%); }
.body { padding: 4px 16px 12px 48px; }
.facts { display: flex; flex-wrap: wrap; gap: 4px 22px; margin: 0 0 8px; font-size: .86rem; }
.facts div { display: flex; gap: 6px; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; font-weight: 600; }
.evidence .label { margin: 0 0 2px; font-size: .8rem; font-weight: 700; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
.evidence pre { margin: 0; padding: 10px 12px; background: var(--code-bg); border: 1px solid var(--border); border-radius: 6px; overflow: auto; max-height: 28em; white-space: pre-wrap; overflow-wrap: anywhere; }
.passed { margin: 0; padding: 8px 14px 10px; color: var(--muted); font-size: .88rem; overflow-wrap: anywhere; }
.passed .s-pass { color: var(--pass); font-weight: 600; }
footer { color: var(--muted); font-size: .85rem; padding-top: 18px; padding-bottom: 40px; }
:focus-visible { outline: 2px solid var(--fix-border); outline-offset: 2px; }

@media (max-width: 640px) {
  .tally { grid-template-columns: repeat(3, minmax(0, 1fr)); }
  li.check > details > summary { grid-template-columns: 1.3em 1fr; }
  li.check .title { grid-column: 2; }
  .body { padding-left: 18px; }
}
@media print {
  :root { --bg: #fff; --card: #fff; --text: #000; --muted: #444; --border: #bbb; --code-bg: #f4f4f4; --shadow: none; }
  body { font-size: 10.5pt; }
  .filters, #no-match, .note { display: none !important; }
  header.top, main, footer { max-width: none; padding: 0; }
  .cause, details.target, li.check { break-inside: avoid; }
  details.target > summary::before { content: ""; }
  a { color: inherit; text-decoration: none; }
  .evidence pre { max-height: none; overflow: visible; }
  li.check.s-fail, li.check.s-error, li.check.s-warn { background: none; }
}
`;
