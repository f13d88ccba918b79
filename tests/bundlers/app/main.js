// The app every bundler builds: the ES module and its stylesheet, imported by
// package name as an app would.
import init, { ConsentGate } from 'consent-gate';
import 'consent-gate/style.css';

init()
  .then(() => ConsentGate.start('/consent.json'))
  .then((gate) => {
    window.consentGate = gate;
  });
