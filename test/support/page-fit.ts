// Does a rendered page fit its screen? Checks run inside the browser on the
// laid-out page and return one line per problem (empty: the page fits):
// - no table needs sideways scrolling: neither the table nor its container
//   is wider inside than it shows (scrollWidth <= clientWidth);
// - no text is cut: every line box of every visible text node lies within
//   the viewport horizontally and within every ancestor that clips
//   (overflow other than visible); form controls and pictures likewise;
// - no clipping element hides content sideways (scrollWidth <= clientWidth);
// - chart labels are readable: every SVG <text> renders at >= 11 CSS px
//   (its font size times the scale its SVG's viewBox gives it on screen).
// Deliberately hidden text does not count: display:none, visibility:hidden,
// the visually-hidden pattern (clipped to 1px) and off-screen skip links.
import type { Page } from 'playwright-core';

const MIN_CHART_FONT_PX = 11;

export interface FitReport {
  problems: string[];
  /** How many tables, text nodes and SVG texts were checked (a check over nothing proves nothing). */
  checked: { tables: number; texts: number; svgTexts: number };
}

export function fitReport(page: Page): Promise<FitReport> {
  return page.evaluate((minFont: number) => {
    const problems: string[] = [];
    const vw = document.documentElement.clientWidth;
    const SLACK = 1; // sub-pixel rounding

    const describe = (el: Element): string => {
      const id = el.id ? `#${el.id}` : '';
      const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
      const label = el.getAttribute('aria-label') ?? el.querySelector('caption')?.textContent ?? '';
      return `<${el.tagName.toLowerCase()}${id}${cls}>${label ? ` "${label.trim().slice(0, 60)}"` : ''}`;
    };
    const clips = (s: CSSStyleDeclaration) => s.overflowX !== 'visible' || s.overflowY !== 'visible';
    const styles = new Map<Element, CSSStyleDeclaration>();
    const style = (el: Element) => {
      let s = styles.get(el);
      if (!s) styles.set(el, (s = getComputedStyle(el)));
      return s;
    };

    // Hidden on purpose: not rendered, or the visually-hidden / skip-link patterns.
    const hidden = new Map<Element, boolean>();
    const hiddenOnPurpose = (el: Element | null): boolean => {
      if (!el) return false;
      const known = hidden.get(el);
      if (known !== undefined) return known;
      const s = style(el);
      let result = s.display === 'none' || s.visibility === 'hidden' || s.visibility === 'collapse';
      if (!result && ((s.clip !== 'auto' && s.clip !== '') || s.clipPath !== 'none' || s.position === 'absolute' || s.position === 'fixed')) {
        const r = el.getBoundingClientRect();
        const clipped = (s.clip !== 'auto' && s.clip !== '') || s.clipPath !== 'none';
        if (clipped && (r.width <= 1 || r.height <= 1)) result = true;
        if ((s.position === 'absolute' || s.position === 'fixed') && (r.right <= 0 || r.left >= vw)) result = true;
      }
      result ||= hiddenOnPurpose(el.parentElement);
      hidden.set(el, result);
      return result;
    };

    // The clipping box of an element: its padding box on screen.
    const clipBox = (el: Element) => {
      const r = el.getBoundingClientRect();
      const left = r.left + el.clientLeft;
      const top = r.top + el.clientTop;
      return { left, right: left + el.clientWidth, top, bottom: top + el.clientHeight };
    };

    const checkBox = (what: string, rect: DOMRect, from: Element) => {
      if (rect.width === 0 && rect.height === 0) return;
      if (rect.left < -SLACK || rect.right > vw + SLACK) {
        problems.push(`${what} spans x ${Math.round(rect.left)}..${Math.round(rect.right)}, outside the ${vw}px viewport`);
        return;
      }
      for (let a = from.parentElement; a && a !== document.documentElement && a !== document.body; a = a.parentElement) {
        const s = style(a);
        if (!clips(s)) continue;
        const b = clipBox(a);
        const cutX = rect.left < b.left - SLACK || rect.right > b.right + SLACK;
        const cutY = rect.top < b.top - SLACK || rect.bottom > b.bottom + SLACK;
        if (cutX || cutY) {
          problems.push(`${what} is cut by ${describe(a)} (overflow ${s.overflowX}/${s.overflowY})`);
          return;
        }
      }
    };

    // 1. Tables and their containers.
    const tables = [...document.querySelectorAll('table')].filter((t) => !hiddenOnPurpose(t));
    for (const t of tables) {
      for (const el of [t, t.parentElement!]) {
        if (el.scrollWidth > el.clientWidth + SLACK) {
          problems.push(`${describe(el)} scrolls sideways: scrollWidth ${el.scrollWidth} > clientWidth ${el.clientWidth}`);
        }
      }
    }

    // 2. Every visible text node, line box by line box.
    let texts = 0;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim() ?? '';
      const parent = node.parentElement;
      if (!text || !parent || ['SCRIPT', 'STYLE', 'TITLE', 'DESC', 'OPTION'].includes(parent.tagName.toUpperCase())) continue;
      if (hiddenOnPurpose(parent)) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const rects = [...range.getClientRects()];
      if (rects.length === 0) continue;
      texts++;
      for (const r of rects) checkBox(`text "${text.slice(0, 40)}"`, r, node as unknown as Element);
      // Text cut with an ellipsis or inside a clipping element that holds more than it shows.
      const ps = style(parent);
      if (clips(ps) && parent.scrollWidth > parent.clientWidth + SLACK) {
        problems.push(`text "${text.slice(0, 40)}" overflows its clipping ${describe(parent)}`);
      }
    }

    // 3. Controls and pictures that show text or figures without a text node.
    for (const el of document.querySelectorAll('select, input:not([type=hidden]), button, textarea, img, svg')) {
      if (el.parentElement?.closest('svg')) continue; // parts of a chart: the chart's own box is checked
      if (hiddenOnPurpose(el)) continue;
      checkBox(describe(el), el.getBoundingClientRect(), el);
    }

    // 4. Clipping elements that hide content sideways.
    for (const el of document.body.querySelectorAll('*')) {
      if (el instanceof SVGElement && el.tagName.toLowerCase() !== 'svg') continue;
      const s = style(el);
      if (s.overflowX === 'visible' || hiddenOnPurpose(el)) continue;
      if (el.scrollWidth > el.clientWidth + SLACK) {
        problems.push(`${describe(el)} hides content sideways: scrollWidth ${el.scrollWidth} > clientWidth ${el.clientWidth}`);
      }
    }

    // 5. Chart labels: font size in user units times the on-screen scale.
    let svgTexts = 0;
    for (const t of document.querySelectorAll('svg text')) {
      if (hiddenOnPurpose(t)) continue;
      const ctm = (t as SVGGraphicsElement).getScreenCTM();
      if (!ctm) continue;
      svgTexts++;
      const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(ctm.a, ctm.b);
      if (px < minFont - 0.01) {
        problems.push(`chart label "${t.textContent}" renders at ${px.toFixed(1)}px (< ${minFont}px)`);
      }
    }

    // The page as a whole.
    const docOverflow = document.documentElement.scrollWidth - window.innerWidth;
    if (docOverflow > 0) problems.push(`the page is ${docOverflow}px wider than the screen`);

    return { problems: [...new Set(problems)], checked: { tables: tables.length, texts, svgTexts } };
  }, MIN_CHART_FONT_PX);
}

/**
 * Data tables as the browser's accessibility tree sees them: how many
 * `<table>`s without a role the page has, and how many the tree exposes as
 * tables (with their column headers). Reflowing a table with CSS must not
 * turn it into plain text for screen readers.
 */
export async function tableSemantics(page: Page): Promise<{ domTables: number; axTables: number; axColumnHeaders: number; domColumnHeaders: number }> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    const role = (n: (typeof nodes)[number]) => n.role?.value;
    const dom = await page.evaluate(() => ({
      domTables: document.querySelectorAll('table:not([role])').length,
      domColumnHeaders: document.querySelectorAll('table:not([role]) th[scope=col]').length,
    }));
    return {
      ...dom,
      axTables: nodes.filter((n) => !n.ignored && role(n) === 'table').length,
      axColumnHeaders: nodes.filter((n) => !n.ignored && role(n) === 'columnheader').length,
    };
  } finally {
    await cdp.detach();
  }
}
