// The one stylesheet, inlined in every page (no external assets). Mobile
// first: below 40rem data tables (table.stack) reflow into one small card per
// row, each cell labelled from its data-label attribute (shown only: screen
// readers keep the real column headers), and charts switch to their narrow
// drawing. Its hash goes into the Content-Security-Policy so no
// other inline style can run.
import { createHash } from 'node:crypto';

export const CSS = `
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1f2937;background:#fff}
a{color:#1d4ed8;text-underline-offset:2px}
a:hover{color:#1e3a8a}
a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,[tabindex]:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem 1rem}
.skip:focus{left:.5rem;z-index:10}
header.site{border-bottom:1px solid #e5e7eb;background:#f8fafc}
header.site .bar{max-width:62rem;margin:0 auto;padding:.75rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;align-items:baseline}
header.site .brand{font-weight:700;color:#111827;text-decoration:none;font-size:1.05rem}
header.site nav{display:flex;flex-wrap:wrap;gap:.25rem .75rem}
main{max-width:62rem;margin:0 auto;padding:1rem 1rem 3rem}
footer.site{border-top:1px solid #e5e7eb;color:#4b5563;font-size:.9rem}
footer.site .bar{max-width:62rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;line-height:1.25;margin:.75rem 0 .5rem;color:#111827}
h2{font-size:1.25rem;line-height:1.3;margin:2rem 0 .5rem;color:#111827;border-top:1px solid #e5e7eb;padding-top:1.25rem}
h3{font-size:1.05rem;margin:1.25rem 0 .4rem;color:#111827}
p{margin:.5rem 0}
.lede{font-size:1.05rem;color:#374151}
.muted{color:#4b5563;font-size:.92rem}
.newer-week{background:#eff6ff;border:1px solid #bfdbfe;border-radius:.5rem;padding:.5rem .75rem}
.site-notice{background:#fef3c7;color:#78350f;border-bottom:1px solid #f59e0b;margin:0;padding:.5rem 1rem;font-weight:600;text-align:center}
.verdict{background:#eff6ff;border:1px solid #bfdbfe;border-radius:.5rem;padding:.75rem 1rem}
.verdict ul{margin:.25rem 0;padding-left:1.2rem}
.verdict li{margin:.35rem 0}
.grid2{display:grid;gap:0 1.5rem}
.cards{display:grid;gap:.75rem;padding:0;list-style:none}
.card{border:1px solid #e5e7eb;border-radius:.5rem;padding:.75rem 1rem}
.card a{font-weight:600}
.stats{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:.5rem;margin:1rem 0;padding:0;list-style:none}
.stats li{border:1px solid #e5e7eb;border-radius:.5rem;padding:.6rem .75rem}
.stats b{display:block;font-size:1.3rem;color:#111827}
.table-scroll{overflow-x:auto;margin:.5rem 0 1rem;border:1px solid #e5e7eb;border-radius:.5rem}
table{border-collapse:collapse;width:100%;font-size:.95rem}
caption{text-align:left;padding:.5rem .75rem;font-weight:600;color:#111827}
th,td{padding:.45rem .6rem;border-top:1px solid #e5e7eb;text-align:left;vertical-align:top}
thead th{background:#f8fafc;border-top:0}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.num{white-space:nowrap}
td.num.wrap{white-space:normal}
.skills{display:flex;flex-wrap:wrap;gap:.35rem;padding:0;margin:.25rem 0 .75rem;list-style:none}
.skills li{background:#f1f5f9;border:1px solid #cbd5e1;border-radius:999px;padding:.1rem .6rem;font-size:.9rem}
.skills.shared li{background:#ecfdf5;border-color:#6ee7b7}
ol.rank{margin:.25rem 0 .75rem;padding-left:1.4rem}
.chart{margin:.5rem 0}
.chart svg{width:100%;height:auto;display:block;max-width:46rem}
.chart svg.wide{display:none}
.chart svg.narrow{max-width:30rem}
table.weeks th[scope=row]{white-space:nowrap}
.legend{display:flex;flex-wrap:wrap;gap:.25rem 1rem;padding:0;margin:.25rem 0;list-style:none;font-size:.9rem}
.key{display:inline-block;width:1.4rem;height:.25rem;vertical-align:middle;margin-right:.35rem;background:#1d4ed8}
.key.b{background:repeating-linear-gradient(90deg,#b45309 0 6px,transparent 6px 9px)}
details{margin:.5rem 0}
summary{cursor:pointer;color:#1d4ed8}
form.subscribe{border:1px solid #e5e7eb;border-radius:.5rem;padding:1rem;background:#f8fafc}
label{font-weight:600}
p.error{color:#b91c1c;font-weight:600;margin:.25rem 0}
input[type=email]{width:100%;max-width:24rem;font:inherit;padding:.5rem .6rem;border:1px solid #6b7280;border-radius:.35rem;margin:.25rem 0 .75rem;display:block}
fieldset{border:1px solid #d1d5db;border-radius:.35rem;margin:0 0 .75rem;padding:.5rem .75rem}
legend{font-weight:600;padding:0 .25rem}
.checks{display:grid;gap:.15rem .75rem}
.checks label{font-weight:400}
button,.button{font:inherit;font-weight:600;background:#1d4ed8;color:#fff;border:0;border-radius:.35rem;padding:.55rem 1rem;cursor:pointer;text-decoration:none;display:inline-block}
button:hover,.button:hover{background:#1e40af;color:#fff}
select{font:inherit;padding:.35rem;border:1px solid #6b7280;border-radius:.35rem;max-width:100%}
.pick{display:flex;flex-wrap:wrap;gap:.5rem;align-items:end;margin:.5rem 0}
.pick label{display:flex;flex-direction:column;gap:.2rem}
@media (max-width:39.99rem){
  th,td{padding:.4rem .5rem}
  td.num{white-space:normal}
  table.weeks{font-size:.875rem}
  table.weeks th,table.weeks td{padding:.4rem .35rem}
  table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
  table.stack,table.stack tbody,table.stack caption{display:block}
  table.stack tr{display:grid;grid-template-columns:repeat(auto-fit,minmax(8.5rem,1fr));gap:.15rem 1rem;padding:.5rem .75rem;border-top:1px solid #e5e7eb}
  table.stack th,table.stack td{padding:0;border:0;text-align:left;white-space:normal;overflow-wrap:anywhere}
  table.stack th[scope=row]{display:block;grid-column:1/-1}
  table.stack td{display:grid;grid-row:span 2;grid-template-rows:subgrid;align-content:start}
  table.stack td:only-of-type{grid-column:1/-1}
  table.stack td[data-label]::before{content:attr(data-label);content:attr(data-label) / "";font-size:.85rem;color:#4b5563}
  table.stack tr:has(>td:only-of-type){display:flex;flex-wrap:wrap;justify-content:space-between;gap:0 1rem}
  table.stack tr:has(>td:only-of-type) td{display:block;margin-left:auto;text-align:right}
}
@media (min-width:40rem){
  h1{font-size:2rem}
  .chart svg.wide{display:block}
  .chart svg.narrow{display:none}
  .grid2{grid-template-columns:1fr 1fr}
  .cards{grid-template-columns:1fr 1fr}
  .stats{grid-template-columns:repeat(4,minmax(0,1fr))}
  .checks{grid-template-columns:1fr 1fr}
}
`.trim();

const CSS_HASH = `sha256-${createHash('sha256').update(CSS).digest('base64')}`;

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src '${CSS_HASH}'`,
  "img-src 'self' data:",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');
