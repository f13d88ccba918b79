// A gated external script of the gated-markup demo: records that it ran.
(window.gatedOrder = window.gatedOrder || []).push('external marketing');
