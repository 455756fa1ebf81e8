import { defineConfig, type Plugin } from 'vite';

/**
 * govuk-frontend's compiled CSS points its fonts and crest at `/assets/...` (a site root it assumes it owns).
 * Rewriting those to paths relative to the CSS file lets Vite bundle, hash and serve them under /app/ with
 * everything else: self-hosted, no third-party request, nothing outside the CSP's 'self'.
 */
function govukAssetsRelative(): Plugin {
  return {
    name: 'accord:govuk-assets-relative',
    enforce: 'pre',
    transform(code, id) {
      if (!/govuk-frontend[\\/]dist[\\/]govuk[\\/].*\.css$/.test(id)) return null;
      return { code: code.replaceAll('url(/assets/', 'url(./assets/'), map: null };
    },
  };
}

export default defineConfig({
  base: '/app/',
  plugins: [govukAssetsRelative()],
  build: {
    // Relative to this folder (the root `vite build apps/web` sets): the api serves dist/web at /app/.
    outDir: '../../dist/web',
    emptyOutDir: true,
    // Inlined assets would become data: URLs, which the CSP's font-src/img-src 'self' refuses.
    assetsInlineLimit: 0,
    // govuk-frontend ships its CSS minified, with IE hacks (`@media screen\0`) lightningcss refuses to parse.
    cssMinify: false,
    sourcemap: true,
    rolldownOptions: {
      // The govuk CSS transform dominates a small build; the timing report would print on every build.
      checks: { pluginTimings: false },
      // react-router marks its modules "use client" for React Server Components, which a SPA has none of.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  worker: { format: 'es' },
});
