// Progressive enhancement only: every page works without JavaScript.
import { initAll } from '../js/govuk-frontend.min.js';
import { initSessionTimeout } from './session-timeout.mjs';

initAll();
const timeoutDialog = document.getElementById('session-timeout');
if (timeoutDialog) initSessionTimeout(timeoutDialog);
