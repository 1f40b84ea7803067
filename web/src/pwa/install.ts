import { signal } from '@preact/signals';

interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

/** Set while the browser offers installation (Chromium's beforeinstallprompt). */
export const installOffer = signal<BeforeInstallPromptEvent | null>(null);

export function watchInstall(target: Window = window): void {
  target.addEventListener('beforeinstallprompt', (e) => {
    e.preventDefault();
    installOffer.value = e as BeforeInstallPromptEvent;
  });
  target.addEventListener('appinstalled', () => {
    installOffer.value = null;
  });
}

/** Shows the browser's install dialog; returns whether the person accepted. */
export async function install(): Promise<boolean> {
  const offer = installOffer.value;
  if (!offer) return false;
  installOffer.value = null;
  await offer.prompt();
  return (await offer.userChoice).outcome === 'accepted';
}
