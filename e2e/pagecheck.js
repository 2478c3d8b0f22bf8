// Page checks run by e2e/conftest.py's check_a11y beside axe-core: what a
// person sees and axe cannot judge. Called with the list of raw enum codes;
// returns a list of French problem descriptions (empty when the page is fine).
(rawCodes) => {
  const problems = [];
  const describe = (el) => {
    let text = (el.textContent || "").replace(/\s+/g, " ").trim();
    if (text.length > 60) text = text.slice(0, 57) + "…";
    const id = el.id ? `#${el.id}` : "";
    const cls = el.classList.length ? "." + [...el.classList].slice(0, 3).join(".") : "";
    return `<${el.tagName.toLowerCase()}${id}${cls}> « ${text} »`;
  };
  // Visually hidden on purpose: the sr-only classes, and the 1×1 px clipped
  // box DSFR gives some labels (the search bar's label is read, not shown).
  const hiddenBox = (el) => {
    const style = getComputedStyle(el);
    return (
      el.clientWidth <= 1 &&
      el.clientHeight <= 1 &&
      (style.position === "absolute" || style.clip !== "auto" || style.clipPath !== "none")
    );
  };
  const srOnly = (el) => !!el.closest(".fr-sr-only, .sr-only") || hiddenBox(el);
  const visible = (el) =>
    el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true }) && !srOnly(el);

  // 1. Visible text clipped by its own box (a button shown "Étap").
  // DSFR icon-only buttons carry a title by design: their text is meant to
  // be hidden.
  const clipTargets = "button, a, .fr-btn, .fr-badge, .fr-tag, td, th, label, .fr-link";
  for (const el of document.querySelectorAll(clipTargets)) {
    if (!visible(el)) continue;
    if (el.matches(".fr-btn[title], [data-icon-only]")) continue;
    const style = getComputedStyle(el);
    if (style.display === "inline" || el.clientWidth === 0) continue;
    if (!(el.textContent || "").trim()) continue;
    // A scroll box shows what overflows: only hidden/clip overflow hides text.
    if (!["hidden", "clip"].includes(style.overflowX) && style.textOverflow !== "ellipsis") {
      continue;
    }
    if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 2) {
      problems.push(`texte coupé : ${describe(el)} (${el.scrollWidth}×${el.scrollHeight} px de contenu dans ${el.clientWidth}×${el.clientHeight} px)`);
    }
  }

  // 2. Raw enum codes where a label is expected: an element whose own text
  // (its text nodes, not the CSS-transformed rendering) is exactly a code.
  const codes = new Set(rawCodes);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || seen.has(el) || el.closest("script, style, code, kbd, samp, [data-raw-ok]")) continue;
    seen.add(el);
    const own = [...el.childNodes]
      .filter((n) => n.nodeType === Node.TEXT_NODE)
      .map((n) => n.nodeValue)
      .join("")
      .replace(/\s+/g, " ")
      .trim();
    if (!own) continue;
    const isOption = el.tagName === "OPTION";
    if (!isOption && !el.checkVisibility({ checkVisibilityCSS: true }) && !srOnly(el)) continue;
    // The whole text, or one side of a " — " separator ("Motif — vol").
    const candidates = [own, ...own.split(/\s+[—–|]\s+/)];
    const hit = candidates.find((part) => codes.has(part));
    if (hit) problems.push(`code brut affiché « ${hit} » au lieu de son libellé : ${describe(el)}`);
  }
  for (const input of document.querySelectorAll("input[type=submit], input[type=button]")) {
    if (codes.has(input.value)) problems.push(`code brut affiché « ${input.value} » sur un bouton`);
  }

  // 3. The same heading twice in a row (a section title repeated by the
  // first heading or table caption inside it).
  const headings = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6, caption, legend")]
    .filter((el) => visible(el) || el.tagName === "CAPTION")
    .map((el) => [el, (el.textContent || "").replace(/\s+/g, " ").trim().toLowerCase()]);
  for (let i = 1; i < headings.length; i++) {
    const [el, text] = headings[i];
    const [previous, previousText] = headings[i - 1];
    // A heading inside a legend (DSFR's pattern) is one title, not two.
    if (text && text === previousText && !previous.contains(el) && !el.contains(previous)) {
      problems.push(`titre répété deux fois de suite : ${describe(el)}`);
    }
  }

  // 4. Horizontal scroll of the page itself.
  const root = document.documentElement;
  if (root.scrollWidth > window.innerWidth + 1) {
    const culprits = [];
    for (const el of document.body.querySelectorAll("*")) {
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 || rect.right <= window.innerWidth + 1) continue;
      // Inside a box that scrolls or clips horizontally: not the page's fault.
      let parent = el.parentElement;
      let contained = false;
      while (parent && parent !== document.body) {
        const overflow = getComputedStyle(parent).overflowX;
        if (overflow !== "visible") {
          contained = parent.getBoundingClientRect().right <= window.innerWidth + 1;
          break;
        }
        parent = parent.parentElement;
      }
      if (!contained) culprits.push(el);
      if (culprits.length >= 3) break;
    }
    problems.push(
      `défilement horizontal à ${window.innerWidth} px (page de ${root.scrollWidth} px)` +
        (culprits.length ? " : " + culprits.map(describe).join(" ; ") : "")
    );
  }
  return problems;
}
