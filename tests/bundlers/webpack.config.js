// The webpack 5 recipe (README, "Bundlers"). Nothing special for the wasm:
// webpack emits the gate's wasm and each part's files, which consent-gate
// names as `new URL('./…', import.meta.url)`, as assets. The stylesheet is
// an ordinary CSS import (here extracted to main.css).
import MiniCssExtractPlugin from 'mini-css-extract-plugin';
import { fileURLToPath } from 'node:url';

export default {
  mode: 'production',
  entry: './app/main.js',
  output: { path: fileURLToPath(new URL('./dist/webpack', import.meta.url)), clean: true },
  module: { rules: [{ test: /\.css$/, use: [MiniCssExtractPlugin.loader, 'css-loader'] }] },
  plugins: [new MiniCssExtractPlugin()],
};
