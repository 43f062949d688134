/* What the browser suite's checks read of a page, in one round trip (harness.py). */
(skip) => {
  const vw = document.documentElement.clientWidth;
  const wide = document.documentElement.scrollWidth;
  const culprits = [];
  if (wide > vw) {
    for (const e of document.querySelectorAll('body *')) {
      const r = e.getBoundingClientRect();
      if (r.width && r.right > vw + 1 && getComputedStyle(e).position !== 'fixed') {
        let p = e.parentElement, inside = false;
        while (p) {
          const o = getComputedStyle(p).overflowX;
          if (o === 'auto' || o === 'scroll' || o === 'hidden') { inside = true; break; }
          p = p.parentElement;
        }
        if (!inside) {
          const name = e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
            + (e.className && typeof e.className === 'string'
               ? '.' + e.className.trim().split(/\s+/).join('.') : '');
          culprits.push(name + ' ' + Math.round(r.right) + 'px');
        }
      }
      if (culprits.length > 6) break;
    }
  }
  const named = (e) => {
    if (e.getAttribute('aria-hidden') === 'true') return true;
    if ((e.getAttribute('aria-label') || '').trim()) return true;
    if ((e.getAttribute('title') || '').trim()) return true;
    if (e.getAttribute('aria-labelledby')) return true;
    if (e.tagName === 'IMG' && e.hasAttribute('alt')) return true;
    if (e.tagName === 'svg' && e.querySelector(':scope > title')) return true;
    const fig = e.closest('figure');
    if (fig && fig.querySelector('figcaption')) return true;
    const up = e.parentElement && e.parentElement.closest('[aria-label], [aria-labelledby], [aria-hidden=true], a, button, label');
    if (up) return true;
    return false;
  };
  const unnamed = [];
  for (const e of document.querySelectorAll('main .js-plotly-plot, main svg, main canvas, main img, main [role=img]')) {
    if (e.closest('.js-plotly-plot') && !e.classList.contains('js-plotly-plot')) continue;
    if (!named(e)) unnamed.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
      + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/)[0] : ''));
  }
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let n;
  while ((n = walker.nextNode())) {
    const el = n.parentElement;
    if (!el || el.closest(skip)) continue;
    if (!el.getClientRects().length && !el.closest('option')) continue;
    const t = n.textContent.trim();
    if (t) texts.push(t);
  }
  for (const e of document.querySelectorAll('input[placeholder], textarea[placeholder], [aria-label]')) {
    if (!e.closest(skip)) texts.push(e.getAttribute('placeholder') || e.getAttribute('aria-label'));
  }
  const unlabelled = [];
  if (window.innerWidth < 640) {
    for (const c of document.querySelectorAll('main table td, main table tbody th')) {
      if (!c.getClientRects().length || c.classList.contains('empty') || c.colSpan > 1) continue;
      if (!c.textContent.trim() || getComputedStyle(c).display === 'table-cell') continue;
      if (!c.hasAttribute('data-label')) {
        const t = c.closest('table');
        unlabelled.push((t.id || t.className || 'table') + ': ' + c.textContent.trim().slice(0, 30));
      }
      if (unlabelled.length > 4) break;
    }
  }
  const inner = document.querySelector('.header-inner');
  const links = [...document.querySelectorAll('.site-header .site-nav a, .site-header .site-nav summary')]
    .filter(a => a.getClientRects().length && !a.closest('details:not([open]) > :not(summary)'));
  const rows = new Set(links.map(a => Math.round(a.getBoundingClientRect().top)));
  return {
    lang: document.documentElement.lang,
    width: wide,
    viewport: vw,
    culprits,
    unnamed,
    unlabelled,
    texts,
    headerHeight: inner ? inner.getBoundingClientRect().height : 0,
    navRows: rows.size,
    title: document.title,
  };
}
