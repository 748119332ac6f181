// Landing page: French by default, English on request (remembered in localStorage).
import { initLang, onLang } from './lib/i18n';

initLang();
onLang((lang) => {
  const description = document.querySelector<HTMLMetaElement>('meta[name="description"]');
  if (description) {
    description.content =
      lang === 'fr'
        ? "Exercice de classe multijoueur sur le quorum d'un cluster Proxmox VE"
        : 'A multiplayer classroom exercise on Proxmox VE cluster quorum';
  }
});
