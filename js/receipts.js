// Posts one consent receipt to the site's collector (src/web/receipts.rs).
// keepalive: the request outlives the page, so a withdrawal's reload neither
// waits for it nor cancels it. No cookies and no referrer go with it: the
// receipt says all the collector needs, and the referrer would carry the
// page's query string, which the receipt leaves out on purpose.

/** Calls `done(status)` with the collector's HTTP status, or 0 when no answer came. */
export function postReceipt(url, body, done) {
  let request;
  try {
    request = fetch(url, {
      method: 'POST',
      body,
      keepalive: true,
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      headers: { 'content-type': 'application/json' },
    });
  } catch {
    done(0);
    return;
  }
  request.then((response) => done(response.status), () => done(0));
}
