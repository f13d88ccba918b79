// What the browser tests and the benchmark share: the vendor hosts, and how
// Debian's Chromium is launched so that nothing leaves the machine.
// No dependencies, so both can import it whatever node_modules they sit beside.

export const VENDOR_HOSTS = [
  'googletagmanager.com',
  'google-analytics.com',
  'doubleclick.net',
  'facebook.net',
  'facebook.com',
  'criteo.com',
  'criteo.net',
  'adform.net',
  // Click-to-load embeds (issue 19) and what their players or maps fetch.
  'youtube.com',
  'youtube-nocookie.com',
  'ytimg.com',
  'googlevideo.com',
  'vimeo.com',
  'vimeocdn.com',
  'google.com',
  'gstatic.com',
  'googleapis.com',
];

export function isVendorHost(hostname) {
  return VENDOR_HOSTS.some((h) => hostname === h || hostname.endsWith(`.${h}`));
}

/**
 * Launch options for Debian's Chromium: every name but loopback fails to
 * resolve (interception still sees vendor URLs before any lookup), and
 * `siteNames` are mapped to 127.0.0.1 so a page can run on a real
 * registrable domain.
 */
export function chromiumOptions({ siteNames = [] } = {}) {
  const maps = siteNames.map((name) => `MAP ${name} 127.0.0.1, `).join('');
  return {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--host-resolver-rules=${maps}MAP * ~NOTFOUND, EXCLUDE 127.0.0.1`,
    ],
  };
}
