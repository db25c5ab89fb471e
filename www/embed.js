/*
 * Cache Playground embed: <cache-playground demo="lru" size="3"></cache-playground>
 *
 * A dependency-free custom element that shows a live Cache Playground demo in a lazily loaded,
 * sandboxed iframe, sized to its content. Load this script once per page; use as many elements
 * as you like.
 *
 * Attributes map 1:1 to the playground's URL parameters (demo, policy, size, ttl, keys, skew,
 * speed, seed, latency, reads, clients, workload, strategy, …; see the README), plus:
 *   src     where the playground is hosted (default: the folder this script was loaded from)
 *   height  the frame's height in CSS pixels until the demo reports its own (default 640)
 *   title   the frame's accessible name (default: "Cache Playground: <demo>")
 *
 * The frame reports its content height with postMessage:
 *   { type: "cache-playground:height", version: 1, height: <CSS px>, demo: "<id>" }
 * and this script accepts it only from its own frame (event.source) and the playground's origin
 * (event.origin).
 */
(() => {
  'use strict';
  if (typeof window === 'undefined' || !window.customElements) return;
  if (window.customElements.get('cache-playground')) return; // loaded twice: keep the first

  const HEIGHT_MESSAGE = 'cache-playground:height';
  // The folder this script came from: the default playground location.
  const scriptBase = (() => {
    const script = document.currentScript;
    try {
      return new URL('./', script && script.src ? script.src : document.baseURI).href;
    } catch {
      return document.baseURI;
    }
  })();
  // Attributes that configure the element rather than the demo.
  const OWN = new Set(['src', 'height', 'title', 'class', 'style', 'id', 'hidden', 'lang', 'dir']);
  const PARAMS = [
    'demo', 'policy', 'size', 'ttl', 'keys', 'skew', 'speed', 'seed', 'latency', 'reads',
    'clients', 'update', 'race', 'crash', 'workload', 'strategy', 'lock-ttl', 'backoff',
    'negative', 'requests', 'maxsize', 'typed',
  ];
  const MIN_HEIGHT = 120;
  const MAX_HEIGHT = 20000;
  const connected = new Set(); // the elements on the page, to route height messages to

  window.addEventListener('message', (event) => {
    const data = event.data;
    if (!data || typeof data !== 'object' || data.type !== HEIGHT_MESSAGE) return;
    for (const element of connected) {
      if (element.frame && event.source === element.frame.contentWindow) {
        element.receiveHeight(event.origin, data.height);
        return;
      }
    }
  });

  class CachePlayground extends HTMLElement {
    static get observedAttributes() {
      return ['src', 'height', 'title', ...PARAMS];
    }

    constructor() {
      super();
      this.frame = null;
      this.pending = false;
      this.origin = null;
      this.reported = false;
    }

    connectedCallback() {
      if (!this.frame) {
        const root = this.attachShadow ? this.attachShadow({ mode: 'open' }) : this;
        const style = document.createElement('style');
        style.textContent =
          ':host{display:block;max-width:100%}iframe{display:block;width:100%;border:0;' +
          'border-radius:8px;background:transparent;transition:height .15s ease-out}' +
          '@media (prefers-reduced-motion: reduce){iframe{transition:none}}';
        this.frame = document.createElement('iframe');
        this.frame.loading = 'lazy';
        // Scripts (the app is WebAssembly), same origin (to fetch its own files and keep
        // settings), popups (the "open in the full playground" link), downloads (the console's).
        this.frame.setAttribute(
          'sandbox',
          'allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-downloads',
        );
        this.frame.setAttribute('allow', 'clipboard-write');
        this.frame.setAttribute('referrerpolicy', 'no-referrer');
        root.append(style, this.frame);
      }
      this.update();
    }

    disconnectedCallback() {
      connected.delete(this);
    }

    attributeChangedCallback() {
      // Several attributes often change together: rebuild the URL once, after the last.
      if (!this.frame || this.pending) return;
      this.pending = true;
      queueMicrotask(() => {
        this.pending = false;
        this.update();
      });
    }

    /** The playground URL for the current attributes. */
    url() {
      const base = new URL(this.getAttribute('src') || scriptBase, document.baseURI);
      const params = new URLSearchParams();
      params.set('v', '1');
      for (const attribute of this.getAttributeNames()) {
        const name = attribute.toLowerCase();
        if (OWN.has(name) || name.startsWith('data-') || name.startsWith('aria-')) continue;
        params.set(name, this.getAttribute(attribute));
      }
      params.set('embed', '1');
      base.search = params.toString();
      base.hash = '';
      return base;
    }

    update() {
      const url = this.url();
      this.origin = url.origin;
      const demo = this.getAttribute('demo') || 'overview';
      this.frame.title = this.getAttribute('title') || `Cache Playground: ${demo}`;
      const height = Number.parseFloat(this.getAttribute('height'));
      if (!this.reported) this.frame.style.height = `${Number.isFinite(height) ? height : 640}px`;
      if (this.frame.getAttribute('src') !== url.href) this.frame.setAttribute('src', url.href);
      connected.add(this);
    }

    receiveHeight(origin, height) {
      if (origin !== this.origin) return; // not from the playground this element loaded
      if (typeof height !== 'number' || !Number.isFinite(height)) return;
      const clamped = Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, Math.ceil(height)));
      this.reported = true;
      this.frame.style.height = `${clamped}px`;
      this.dispatchEvent(new CustomEvent('cache-playground-resize', { detail: { height: clamped } }));
    }
  }

  window.customElements.define('cache-playground', CachePlayground);
})();
