// A tiny script so the example exercises JavaScript as well as HTML and CSS.
document.documentElement.dataset.loadedAt = new Date().toISOString();
