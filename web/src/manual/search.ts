// Search in a rendered document: wraps every match in <mark class="manual-hit"> (text nodes only, so the markup and
// its anchors stay as they are) and undoes it. Case-insensitive, plain text (no regular expressions from the user).

export const HIT_CLASS = "manual-hit";
/** More hits than this are not marked (a one-letter query would wrap thousands of nodes). */
export const MAX_HITS = 2000;

export function clearHits(root: HTMLElement): void {
  const marks = root.querySelectorAll(`mark.${HIT_CLASS}`);
  const parents = new Set<Node>();
  marks.forEach((m) => {
    const p = m.parentNode;
    if (!p) return;
    p.replaceChild(document.createTextNode(m.textContent ?? ""), m);
    parents.add(p);
  });
  parents.forEach((p) => p.normalize());
}

/** Marks every occurrence of `query`; returns the marks in document order. */
export function markHits(root: HTMLElement, query: string): HTMLElement[] {
  clearHits(root);
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => (n.nodeValue && n.nodeValue.toLowerCase().includes(q) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT),
  });
  const nodes: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
  const hits: HTMLElement[] = [];
  for (const node of nodes) {
    const text = node.nodeValue!;
    const lower = text.toLowerCase();
    const frag = document.createDocumentFragment();
    let at = 0;
    for (let i = lower.indexOf(q); i >= 0 && hits.length < MAX_HITS; i = lower.indexOf(q, i + q.length)) {
      if (i > at) frag.appendChild(document.createTextNode(text.slice(at, i)));
      const m = document.createElement("mark");
      m.className = HIT_CLASS;
      m.textContent = text.slice(i, i + q.length);
      frag.appendChild(m);
      hits.push(m);
      at = i + q.length;
    }
    if (at === 0) continue;
    if (at < text.length) frag.appendChild(document.createTextNode(text.slice(at)));
    node.parentNode!.replaceChild(frag, node);
    if (hits.length >= MAX_HITS) break;
  }
  return hits;
}
