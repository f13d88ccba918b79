// A second gated external script, right after external.js: it must run after it.
(window.gatedOrder = window.gatedOrder || []).push(
  window.gatedOrder.includes('external marketing') ? 'external after' : 'external after, too early',
);
