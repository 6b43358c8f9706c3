/**
 * The report of a headless notebook run: the items the kernel cell API recorded (markdown
 * cells, tables, figures, HTML and text outputs) as src/viz report sections, in order.
 */
import type { RecordedItem } from '../../kernel/report-recorder';
import type { Report, ReportSection } from '../../src/viz/render-report';

function markdownSection(text: string): { level: number; section: ReportSection } {
  const lines = text.split('\n');
  const m = /^(#{1,6})\s+(.*)$/.exec(lines[0] ?? '');
  if (!m) return { level: 0, section: { heading: '', text } };
  return { level: m[1].length, section: { heading: m[2].trim(), text: lines.slice(1).join('\n') } };
}

/**
 * Report sections from recorded items. The first level-1 markdown heading becomes the title
 * (its prose the first section); figures and tables become sections without a heading.
 * @param fallbackTitle used when no markdown cell starts with `# `
 */
export function headlessReport(items: readonly RecordedItem[], fallbackTitle: string): Report {
  let title: string | undefined;
  const sections: ReportSection[] = [];
  for (const item of items) {
    switch (item.kind) {
      case 'markdown': {
        const { level, section } = markdownSection(item.text);
        if (level === 1 && title === undefined) {
          title = section.heading;
          sections.push({ heading: '', markdown: section.text });
        } else {
          sections.push({ heading: section.heading, markdown: section.text });
        }
        break;
      }
      case 'figure':
        // Plotly's default trace type is scatter; src/viz figures name it.
        sections.push({
          heading: '',
          figure: { data: item.figure.data.map((trace) => ({ type: 'scatter', ...trace })), layout: item.figure.layout ?? {} },
        });
        break;
      case 'table':
        sections.push({ heading: '', table: item.table, tableOptions: item.options });
        break;
      case 'html':
        // A notebook's own HTML output (e.g. the offline-benchmark banner): trusted, as in Jupyter.
        if (item.html.trim() !== '') sections.push({ heading: '', markdown: item.html });
        break;
      case 'text':
        if (item.text.trim() !== '') sections.push({ heading: '', text: item.text });
        break;
    }
  }
  return { title: title ?? fallbackTitle, sections };
}
