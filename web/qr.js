// A QR code's SVG as the server renders it (libqrencode, POST /api/drafts/<slug>/codes), made
// into a DOM element. The text comes from our own server, but it is still not trusted: it is
// parsed as XML (never as HTML), and only the drawing elements and attributes below are copied
// into fresh SVG elements, so no script, link, style or event handler can come through.
const SVG_NS = 'http://www.w3.org/2000/svg';
const ELEMENTS = new Set(['svg', 'g', 'rect', 'path', 'polygon', 'title', 'desc']);
const ATTRIBUTES = new Set(['viewBox', 'width', 'height', 'x', 'y', 'd', 'points', 'fill', 'fill-rule',
  'stroke', 'stroke-width', 'shape-rendering', 'transform', 'preserveAspectRatio', 'version']);
const SAFE_VALUE = /^[#A-Za-z0-9 .,\-+()%]*$/;  // numbers, colours, path data, transforms

function copy(node) {
  if (node.nodeType === Node.TEXT_NODE) return document.createTextNode(node.nodeValue);
  if (node.nodeType !== Node.ELEMENT_NODE || node.namespaceURI !== SVG_NS || !ELEMENTS.has(node.localName)) return null;
  const el = document.createElementNS(SVG_NS, node.localName);
  for (const attr of node.attributes) {
    if (!attr.namespaceURI && ATTRIBUTES.has(attr.localName) && SAFE_VALUE.test(attr.value) && !/url\s*\(/i.test(attr.value)) {
      el.setAttribute(attr.localName, attr.value);
    }
  }
  for (const child of node.childNodes) {
    if (child.nodeType === Node.TEXT_NODE && !['title', 'desc'].includes(node.localName)) continue;
    const c = copy(child);
    if (c) el.append(c);
  }
  return el;
}

/**
 * The <svg> element of `svgText`, labelled `label` for screen readers, or null when the text
 * is not an SVG document.
 */
export function qrElement(svgText, label) {
  if (typeof svgText !== 'string' || svgText.length === 0 || svgText.length > 512 * 1024) return null;
  const doc = new DOMParser().parseFromString(svgText, 'image/svg+xml');
  const root = doc.documentElement;
  if (!root || root.namespaceURI !== SVG_NS || root.localName !== 'svg' || doc.getElementsByTagName('parsererror').length) return null;
  const svg = copy(root);
  if (!svg.getAttribute('viewBox')) {
    const w = parseFloat(root.getAttribute('width'));
    const hgt = parseFloat(root.getAttribute('height'));
    if (w > 0 && hgt > 0) svg.setAttribute('viewBox', `0 0 ${w} ${hgt}`);
  }
  // The slip sizes it (organize.css); crisp modules whatever the scale.
  svg.removeAttribute('width');
  svg.removeAttribute('height');
  svg.setAttribute('shape-rendering', 'crispEdges');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('class', 'qr');
  return svg;
}
