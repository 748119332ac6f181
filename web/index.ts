// Landing page: French by default, English on request (remembered in localStorage).
type Lang = "fr" | "en";

const STORAGE_KEY = "quorum-lab.lang";

function readLang(): Lang {
  const fromUrl = new URLSearchParams(location.search).get("lang");
  if (fromUrl === "fr" || fromUrl === "en") return fromUrl;
  try {
    return localStorage.getItem(STORAGE_KEY) === "en" ? "en" : "fr";
  } catch {
    return "fr"; // storage can be blocked (private mode, embedded frames)
  }
}

function applyLang(lang: Lang): void {
  document.documentElement.lang = lang;
  const toggle = document.getElementById("lang-toggle");
  toggle?.setAttribute("aria-label", lang === "fr" ? "Switch to English" : "Passer en français");
  const description = document.querySelector<HTMLMetaElement>('meta[name="description"]');
  if (description) {
    description.content =
      lang === "fr"
        ? "Exercice de classe multijoueur sur le quorum d'un cluster Proxmox VE"
        : "A multiplayer classroom exercise on Proxmox VE cluster quorum";
  }
}

let current = readLang();
applyLang(current);

document.getElementById("lang-toggle")?.addEventListener("click", () => {
  current = current === "fr" ? "en" : "fr";
  applyLang(current);
  try {
    localStorage.setItem(STORAGE_KEY, current);
  } catch {
    // not persisted; the toggle still works for this page
  }
});
