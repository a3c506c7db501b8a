/** The HTML report's stylesheet: inline, system fonts only, light and dark. */
export const REPORT_CSS = `
:root{--bg:#f6f5fb;--panel:#fff;--ink:#1d1b2c;--muted:#6a6780;--line:#e3e0ef;--accent:#5b4bd6;
--kept:#2f855a;--kept-bg:#e6f4ec;--merged:#2b6cb0;--merged-bg:#e6effa;--superseded:#b7791f;--superseded-bg:#fdf3e1;
--dropped:#c53030;--dropped-bg:#fdeaea;--insight:#7b3fc4;--insight-bg:#f1e9fb;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#13121c;--panel:#1c1a29;--ink:#ebe9f5;--muted:#a19db8;--line:#2e2b42;
--accent:#a99cff;--kept-bg:#17301f;--merged-bg:#162538;--superseded-bg:#33280f;--dropped-bg:#3a1717;--insight-bg:#2a1a3f;
--kept:#68d391;--merged:#90cdf4;--superseded:#f6c56b;--dropped:#fc8181;--insight:#d6bcfa}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif}
header.top{background:linear-gradient(135deg,#221d4a,#3b2f86 60%,#5b4bd6);color:#f4f2ff;padding:32px 40px 28px}
header.top .eyebrow{text-transform:uppercase;letter-spacing:.12em;font-size:12px;opacity:.75}
header.top h1{margin:6px 0 8px;font-size:26px;font-weight:650;word-break:break-all}
header.top .meta{margin:0;opacity:.9}
header.top code{background:rgba(255,255,255,.14);color:inherit}
.instructions{margin:14px 0 0;padding:10px 14px;border-left:3px solid rgba(255,255,255,.5);background:rgba(255,255,255,.08);border-radius:6px;white-space:pre-wrap}
.error{margin-top:14px;padding:10px 14px;background:#fff1f1;color:#8b1c1c;border-radius:6px}
main{max-width:1180px;margin:0 auto;padding:28px 40px 60px}
section{margin:0 0 34px}
h2{font-size:19px;margin:0 0 12px;display:flex;align-items:center;gap:10px}
h2 .count{font-size:12px;font-weight:600;background:var(--line);color:var(--muted);padding:2px 9px;border-radius:99px}
h3{font-size:15px;margin:0}
code{font:13px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:var(--line);padding:1px 5px;border-radius:4px;word-break:break-all}
.status{font-size:13px;font-weight:600;padding:3px 10px;border-radius:99px;vertical-align:middle;background:rgba(255,255,255,.18)}
.status-completed{background:#2f855a;color:#fff}.status-failed{background:#c53030;color:#fff}.status-canceled{background:#b7791f;color:#fff}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:12px;margin-top:-52px}
.card{background:var(--panel);border:1px solid var(--line);border-radius:12px;padding:14px 16px;box-shadow:0 2px 10px rgba(30,20,80,.06)}
.card .num{font-size:28px;font-weight:700;line-height:1.1}
.card .label{color:var(--muted);font-size:13px}
.card.merged .num{color:var(--merged)}.card.superseded .num{color:var(--superseded)}.card.dropped .num{color:var(--dropped)}.card.insights .num{color:var(--insight)}
.fatebar{display:flex;height:10px;border-radius:99px;overflow:hidden;margin:16px 0 6px;background:var(--line)}
.fatebar span{display:block}
.legend{color:var(--muted);font-size:13px;display:flex;gap:16px;flex-wrap:wrap}
.dot{display:inline-block;width:9px;height:9px;border-radius:50%;margin-right:5px}
.bg-kept{background:var(--kept)}.bg-merged{background:var(--merged)}.bg-superseded{background:var(--superseded)}.bg-dropped{background:var(--dropped)}
.panel{background:var(--panel);border:1px solid var(--line);border-radius:12px;padding:16px 18px}
.change{display:grid;grid-template-columns:1fr auto 1fr;gap:12px;align-items:start;padding:12px 0;border-top:1px solid var(--line)}
.change:first-child{border-top:0;padding-top:0}
.change .old,.change .new{border-radius:8px;padding:8px 12px}
.change .old{background:var(--superseded-bg)}.change .old .text{text-decoration:line-through;text-decoration-color:var(--superseded)}
.change .new{background:var(--kept-bg)}
.change .arrow{font-size:20px;color:var(--muted);padding-top:6px}
.change .where{grid-column:1/-1;color:var(--muted);font-size:13px}
.date{display:block;font-size:12px;color:var(--muted);font-variant-numeric:tabular-nums}
.chip{display:inline-block;font-size:11px;font-weight:650;text-transform:uppercase;letter-spacing:.04em;padding:1px 7px;border-radius:99px;vertical-align:1px}
.chip.kept{color:var(--kept);background:var(--kept-bg)}.chip.merged{color:var(--merged);background:var(--merged-bg)}
.chip.superseded{color:var(--superseded);background:var(--superseded-bg)}.chip.dropped{color:var(--dropped);background:var(--dropped-bg)}
.chip.insight{color:var(--insight);background:var(--insight-bg)}.chip.kind{color:var(--muted);background:var(--line)}
ul.plain{list-style:none;margin:0;padding:0}
ul.plain>li{padding:8px 0;border-top:1px solid var(--line)}
ul.plain>li:first-child{border-top:0}
.evidence{margin:6px 0 0;padding:0;list-style:none;font-size:13px;color:var(--muted)}
.evidence li{margin:3px 0}
.evidence q{color:var(--ink);font-style:italic}
.also{margin:6px 0 0 0;padding-left:18px;color:var(--muted);font-size:14px}
.insight-card{border-left:4px solid var(--insight);background:var(--insight-bg);border-radius:8px;padding:12px 14px;margin-bottom:10px}
table{width:100%;border-collapse:collapse;font-size:14px}
th{text-align:left;color:var(--muted);font-weight:600;font-size:12px;text-transform:uppercase;letter-spacing:.04em}
th,td{padding:8px 10px;border-bottom:1px solid var(--line);vertical-align:top}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:18px}
@media (max-width:860px){.cols{grid-template-columns:1fr}.change{grid-template-columns:1fr}.change .arrow{display:none}main,header.top{padding-left:18px;padding-right:18px}}
.memory{background:var(--panel);border:1px solid var(--line);border-radius:12px;padding:14px 16px;margin-bottom:12px}
.memory header{display:flex;justify-content:space-between;gap:8px;align-items:center;margin-bottom:6px}
.memory li .fate{margin-right:6px}
.memory .into{color:var(--muted);font-size:13px}
details{margin-top:8px}
summary{cursor:pointer;color:var(--accent);font-size:13px}
pre{white-space:pre-wrap;word-break:break-word;background:var(--bg);border:1px solid var(--line);border-radius:8px;padding:10px 12px;font:12.5px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;max-height:360px;overflow:auto}
.muted{color:var(--muted)}
.note{font-size:13px;color:var(--superseded)}
footer{color:var(--muted);font-size:12px;text-align:center;padding:20px}
`;
