package io.tunelab.report.html;

/** The page's inline style sheet. */
final class Style {
  private Style() {}

  static final String CSS =
      """
      :root{--ink:#0f172a;--muted:#64748b;--line:#e2e8f0;--bg:#f1f5f9;--card:#fff;
        --critical:#dc2626;--warning:#d97706;--info:#0e7490}
      *{box-sizing:border-box}
      body{margin:0;background:var(--bg);color:var(--ink);
        font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
      main{max-width:1200px;margin:0 auto;padding:24px 20px 40px}
      h1{font-size:24px;margin:0 0 4px;font-weight:650}
      h2{font-size:17px;margin:0 0 14px;padding-bottom:8px;border-bottom:1px solid var(--line)}
      h3{font-size:14px;margin:18px 0 8px;color:#334155}
      code{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#f1f5f9;
        padding:1px 4px;border-radius:4px;overflow-wrap:anywhere}
      header.top,section{background:var(--card);border:1px solid var(--line);border-radius:10px;
        padding:18px 22px;margin-bottom:18px;box-shadow:0 1px 2px rgba(15,23,42,.04)}
      .run-id{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
      .status{font-size:12px;vertical-align:middle;padding:2px 8px;border-radius:999px;
        background:#e2e8f0;color:#334155;letter-spacing:.04em}
      .status.completed{background:#dcfce7;color:#166534}.status.failed{background:#fee2e2;color:#991b1b}
      .status.running{background:#dbeafe;color:#1e40af}.status.canceled{background:#f1f5f9;color:#475569}
      .meta{color:var(--muted);margin:0 0 12px}
      .tiles{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0 12px}
      .tiles .tile{flex:1 1 170px;border:1px solid var(--line);border-top:4px solid #94a3b8;
        border-radius:8px;padding:8px 12px;display:flex;flex-direction:column}
      .tile .label{font-size:12px;color:var(--muted)}
      .tile .value{font-size:22px;font-weight:650}.tile .value.small{font-size:16px}
      .tile .sub{font-size:12px;color:var(--muted)}
      .summary{margin:6px 0 10px;font-weight:600}
      .summary .count{font-weight:700}
      .summary .count.critical{color:var(--critical)}.summary .count.warning{color:var(--warning)}
      .summary .count.info{color:var(--info)}
      nav{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:13px}
      nav a{color:#1d4ed8;text-decoration:none}nav a:hover{text-decoration:underline}
      .findings{display:flex;flex-direction:column;gap:10px}
      .finding{border:1px solid var(--line);border-left:6px solid var(--info);border-radius:8px;
        padding:10px 14px;background:#fcfdff}
      .finding.critical{border-left-color:var(--critical);background:#fffafa}
      .finding.warning{border-left-color:var(--warning);background:#fffdf7}
      .finding header{display:flex;align-items:center;gap:8px;flex-wrap:wrap}
      .finding details>summary{list-style:none;cursor:pointer;font-weight:400;margin:0;color:inherit}
      .finding details>summary::-webkit-details-marker{display:none}
      .finding details>summary h3::after{content:" ▸ evidence";font-size:12px;font-weight:400;color:var(--muted)}
      .finding details[open]>summary h3::after{content:" ▾"}
      .finding h3{margin:6px 0 4px;font-size:15px;color:var(--ink)}
      .finding p{margin:4px 0}.finding .evidence{color:#334155}
      .badge{font-size:11px;font-weight:700;text-transform:uppercase;letter-spacing:.05em;color:#fff;
        padding:1px 8px;border-radius:999px;background:var(--info)}
      .badge.critical{background:var(--critical)}.badge.warning{background:var(--warning)}
      .finding .arm{font-size:12px;border:1px solid;border-radius:999px;padding:0 8px}
      .grid2{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:18px}
      .grid-auto{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:18px;
        align-items:start}
      .grid-auto.wide{grid-template-columns:repeat(auto-fit,minmax(440px,1fr))}
      .grid-data{display:grid;grid-template-columns:repeat(auto-fit,minmax(360px,1fr));gap:18px}
      figure{margin:0}
      .chart-notes{color:var(--muted);font-size:13px;align-self:center;padding:0 12px;
        border-left:3px solid var(--line)}
      .chart-figure .title{font-weight:600;margin-bottom:4px}
      svg.chart{width:100%;height:auto;display:block;font-size:11px;fill:#475569}
      svg.chart text{fill:#475569}svg.chart .axis-title{fill:#334155;font-size:12px}
      svg.chart .grid line{stroke:#e2e8f0}svg.chart .x-axis line,svg.chart .baseline{stroke:#94a3b8}
      svg.chart .line{fill:none;stroke-width:2;stroke-linejoin:round;stroke-linecap:round}
      svg.chart .band{fill-opacity:.14;stroke:none}
      svg.chart .best{stroke-width:2}
      svg.chart .diverged{stroke-width:2;fill:none}
      svg.reliability-diagram{max-width:360px}
      svg.chart .bin{fill-opacity:.8}svg.chart .gap{stroke:#dc2626;stroke-width:1;fill-opacity:.75}
      svg.chart .count{fill-opacity:.5}
      svg.chart .diagonal{stroke:#334155;stroke-dasharray:5 4}
      svg.chart .frame{fill:none;stroke:#cbd5e1}
      svg.bar-chart{max-width:640px}svg.chart .value{font-size:10px}
      .legend{list-style:none;display:flex;flex-wrap:wrap;gap:2px 16px;padding:0;margin:6px 0 0;
        font-size:12px;color:#334155}
      .legend li{display:flex;align-items:center;gap:6px}
      .swatch{display:inline-block;width:11px;height:11px;border-radius:3px;margin-right:6px;
        vertical-align:-1px}
      .caption{color:var(--muted);font-size:12.5px;margin:8px 0}
      .omitted{color:var(--muted);font-style:italic;font-size:13px}
      .note{color:#334155}
      .warn{color:#92400e}
      .error{color:#991b1b;background:#fef2f2;border:1px solid #fecaca;border-radius:6px;padding:6px 10px}
      .reliability figcaption{font-size:12.5px;margin-top:4px}.ece{font-weight:650}
      table{border-collapse:collapse;font-variant-numeric:tabular-nums;font-size:13px}
      th,td{padding:4px 10px;border-bottom:1px solid var(--line);text-align:left}
      thead th{font-weight:600;color:#334155;background:#f8fafc;border-bottom:1px solid #cbd5e1}
      tfoot th,tfoot td{font-weight:650;border-top:1px solid #cbd5e1}
      .num{text-align:right}
      td.diverged{color:var(--critical);font-weight:600}
      table.epochs tr.best td{background:#fef9c3}
      table.epochs{width:100%}table.epochs td,table.epochs th{white-space:nowrap;padding:4px 7px}
      .arm-block{overflow-x:auto;margin-bottom:14px}
      details>summary{cursor:pointer;font-weight:600;color:#334155;margin:8px 0 4px}
      .pm{color:var(--muted);font-size:11.5px}
      caption{caption-side:top;text-align:left;font-weight:600;padding:4px 0 6px;color:#334155}
      table.confusion-matrix{font-size:12px}
      table.confusion-matrix td{text-align:center;min-width:34px;border:1px solid #fff}
      table.confusion-matrix th.col{vertical-align:bottom;padding:4px 2px}
      table.confusion-matrix th.col span{writing-mode:vertical-rl;transform:rotate(180deg);
        white-space:nowrap;max-height:110px;overflow:hidden;text-overflow:ellipsis;display:inline-block}
      table.confusion-matrix th.row{white-space:nowrap;max-width:150px;overflow:hidden;text-overflow:ellipsis}
      table.confusion-matrix .corner{font-weight:400;color:var(--muted);font-size:11px;vertical-align:bottom}
      table.confusion-matrix .zero{color:#cbd5e1}table.confusion-matrix td.acc{font-weight:600;background:#f8fafc}
      .confusion{overflow-x:auto}
      .image-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(124px,1fr));gap:12px}
      .image-grid .tile{border:1px solid var(--line);border-radius:8px;padding:8px;text-align:center;
        background:#f8fafc}
      .image-grid img{width:84px;height:84px;image-rendering:pixelated;display:block;margin:0 auto 6px;
        background:#000;border-radius:4px}
      .image-grid figcaption{font-size:12px;line-height:1.35}
      .image-grid .given{color:var(--critical);font-weight:600}
      .image-grid .suspected{color:#15803d;font-weight:600}.image-grid .path{color:var(--muted);font-size:11px}
      .preview img{max-width:100%;image-rendering:pixelated;border:1px solid var(--line);border-radius:6px}
      .preview figcaption{color:var(--muted);font-size:12.5px}
      .arm-block h3{display:flex;align-items:center;margin-top:4px}
      .arm-summary{margin:4px 0 8px}
      footer{color:var(--muted);font-size:12px;text-align:center;margin-top:8px}
      @media print{body{background:#fff}header.top,section{box-shadow:none;break-inside:avoid}}
      """;
}
