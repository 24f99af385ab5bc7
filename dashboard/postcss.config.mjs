// Tailwind 3.4 runs as a PostCSS plugin (Next picks this file up for src/app/globals.css).
export default { plugins: { tailwindcss: {}, autoprefixer: {} } }
