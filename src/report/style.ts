/**
 * The report's style sheet: one inline `<style>` allowed by the Content-Security-Policy through its hash. Colours
 * are CSS variables, so the dark scheme and print change them in one place; the series colours are the Okabe-Ito
 * palette, told apart by people with colour-vision deficiencies (https://jfly.uni-koeln.de/color/).
 */
export const REPORT_CSS = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1b1f24;--muted:#5b6470;--line:#d5dae0;--panel:#f5f7f9;
--c-NoRisk:#56b4e9;--c-AccountTakeover:#e69f00;--c-Block:#d55e00;--c-other:#b8bec6;--c-failed:#d55e00;
--c-passed:#0072b2;--c-none:#cc79a7;--c-failedline:#1b1f24;--c-fb-Valid:#009e73;--c-fb-Invalid:#0072b2;
--c-fb-other:#b8bec6;--c-fb-none:#d55e00}
@media (prefers-color-scheme:dark){:root{--bg:#14171b;--fg:#e6e9ed;--muted:#9aa3ad;--line:#39404a;--panel:#1d2127;
--c-failedline:#f0f3f6;--c-other:#6b737d;--c-fb-other:#6b737d}}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1000px;padding:1.5rem 1rem 3rem;background:var(--bg);color:var(--fg);
font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.3rem;margin:2.2rem 0 .6rem;padding-top:.6rem;
border-top:1px solid var(--line)}h3{font-size:1.05rem;margin:1.4rem 0 .4rem}
header p,.note,.more,.empty,figcaption,footer{color:var(--muted)}
nav ul{list-style:none;padding:0;margin:.8rem 0;display:flex;flex-wrap:wrap;gap:.3rem 1rem}
a{color:inherit}code{font-size:.9em;background:var(--panel);padding:0 .25em;border-radius:3px;overflow-wrap:anywhere}
.headline{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:.6rem;margin:1rem 0}
.figure{background:var(--panel);border-radius:6px;padding:.6rem .8rem}.figure dt{color:var(--muted);font-size:.85rem}
.figure dd{margin:0}.big{display:block;font-size:1.5rem;font-weight:600;font-variant-numeric:tabular-nums}
.detail{font-size:.85rem;color:var(--muted)}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(380px,1fr));gap:0 1.5rem;align-items:start}
table{border-collapse:collapse;width:100%;margin:.4rem 0 .2rem;font-size:.9rem}
caption{text-align:left;font-weight:600;padding:.2rem 0}
th,td{padding:.25rem .5rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top;
overflow-wrap:break-word}th{font-weight:600;background:var(--panel)}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}.nowrap{white-space:nowrap}
.scroll{max-height:26rem;overflow:auto;border:1px solid var(--line);border-radius:4px}
.scroll table{margin:0}.scroll thead th{position:sticky;top:0}
.cc{font:600 .7em ui-monospace,monospace;border:1px solid currentColor;border-radius:3px;padding:0 .15em;
margin:0 .1em;color:#d55e00}
figure{margin:.6rem 0 1rem}figcaption{font-size:.85rem}
svg.chart{display:block;max-width:100%;height:auto;font-size:12px;font-family:inherit}
svg .label,svg .value,svg .tick{fill:var(--fg)}svg .tick{fill:var(--muted);font-size:11px}
svg .grid{stroke:var(--line)}svg .axis{stroke:var(--muted)}svg tspan.cc{fill:#d55e00;font-weight:600}
.legend{list-style:none;display:flex;flex-wrap:wrap;gap:.2rem 1rem;padding:0;margin:.3rem 0;font-size:.85rem}
.swatch{display:inline-block;width:.8em;height:.8em;margin-right:.35em;vertical-align:-.05em;border-radius:2px}
.s-NoRisk{fill:var(--c-NoRisk);background:var(--c-NoRisk)}
.s-AccountTakeover{fill:var(--c-AccountTakeover);background:var(--c-AccountTakeover)}
.s-Block{fill:var(--c-Block);background:var(--c-Block)}.s-other{fill:var(--c-other);background:var(--c-other)}
.s-failed{fill:var(--c-failed);background:var(--c-failed)}.s-passed{fill:var(--c-passed);background:var(--c-passed)}
.s-none{fill:var(--c-none);background:var(--c-none)}
path.s-failedline{fill:none;stroke:var(--c-failedline);stroke-width:1.5}
.swatch.s-failedline{background:var(--c-failedline);height:.2em;vertical-align:.25em}
.s-fb-Valid{fill:var(--c-fb-Valid);background:var(--c-fb-Valid)}
.s-fb-Invalid{fill:var(--c-fb-Invalid);background:var(--c-fb-Invalid)}
.s-fb-other{fill:var(--c-fb-other);background:var(--c-fb-other)}
.s-fb-none{fill:var(--c-fb-none);background:var(--c-fb-none)}
details{margin:.4rem 0}summary{cursor:pointer;color:var(--muted)}
footer{margin-top:3rem;font-size:.85rem;border-top:1px solid var(--line);padding-top:.8rem}
@media print{.scroll{max-height:none;overflow:visible;border:0}h2{break-before:auto}figure,table{break-inside:avoid}}
`;
