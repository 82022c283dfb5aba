// Warns before the idle timeout signs the user out, and lets them stay signed
// in with one action (WCAG 2.2.1 Timing Adjustable). The server decides the
// timeout; this only mirrors it.
export function initSessionTimeout(dialog) {
  const timeout = Number(dialog.dataset.timeoutSeconds) * 1000;
  const warning = Number(dialog.dataset.warningSeconds) * 1000;
  const countdown = dialog.querySelector('[data-countdown]');
  let warnTimer;
  let endTimer;
  let tick;

  const describe = (ms) => {
    const seconds = Math.max(0, Math.ceil(ms / 1000));
    return seconds >= 60
      ? `${Math.ceil(seconds / 60)} minute${seconds > 60 ? 's' : ''}`
      : `${seconds} second${seconds === 1 ? '' : 's'}`;
  };

  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(endTimer);
    clearInterval(tick);
    const deadline = Date.now() + timeout;
    warnTimer = setTimeout(
      () => {
        countdown.textContent = describe(deadline - Date.now());
        // Update the words each minute, and each 15 seconds near the end, so
        // screen readers are not flooded.
        tick = setInterval(() => {
          const left = deadline - Date.now();
          if (left > 60_000 ? left % 60_000 < 1000 : left % 15_000 < 1000) countdown.textContent = describe(left);
        }, 1000);
        if (!dialog.open) dialog.showModal();
      },
      Math.max(0, timeout - warning),
    );
    endTimer = setTimeout(() => window.location.assign('/sign-in?ended=idle'), timeout);
  }

  dialog.querySelector('[data-stay-signed-in]').addEventListener('click', async () => {
    const response = await fetch('/session/keep-alive', {
      method: 'POST',
      headers: { 'csrf-token': dialog.dataset.csrfToken },
      credentials: 'same-origin',
    });
    if (!response.ok) return window.location.assign('/sign-in?ended=idle');
    dialog.close();
    schedule();
  });
  // Escape closes a modal dialog without extending the session; treat it as "stay".
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault();
    dialog.querySelector('[data-stay-signed-in]').click();
  });
  schedule();
}
