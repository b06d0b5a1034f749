'use strict';
// The task pane's build, in the shape of Microsoft's Office add-in task-pane template: entries
// `taskpane` and `commands`, HtmlWebpackPlugin pages, CopyWebpackPlugin for assets/, the manifests and the
// app package written for the build's URL (the production URL in production builds), webpack-dev-server
// over HTTPS.

const fs = require('node:fs');
const path = require('node:path');
const webpack = require('webpack');
const CopyWebpackPlugin = require('copy-webpack-plugin');
const HtmlWebpackPlugin = require('html-webpack-plugin');

// CHANGE THIS (or set WCF_PRODUCTION_URL) TO YOUR PRODUCTION DEPLOYMENT LOCATION, with a trailing slash.
const DEFAULT_URL_PROD = 'https://www.contoso.com/who-can-federate/';
const DEFAULT_GRAPH_BASE_URL = 'https://graph.microsoft.com/v1.0';

function withSlash(url) {
  return url.endsWith('/') ? url : `${url}/`;
}

/**
 * A TypeScript module of the project (and the project modules it imports), compiled here in memory:
 * the settings readers (src/settings/values.ts, so the pane's WCF_* variables read and fail the way the
 * CLI's and the collector's do) and the manifests' writers (src/manifest/), all pure. Imports name files
 * without an extension or with `.js`, as TypeScript's node16 resolution has them; packages load as usual.
 */
function loadTypeScript(file, loaded = new Map()) {
  const known = loaded.get(file);
  if (known) return known.exports;
  const ts = require('typescript');
  const Module = require('node:module');
  const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
    fileName: file,
  });
  const compiled = new Module(file, module);
  compiled.filename = file;
  compiled.paths = Module._nodeModulePaths(path.dirname(file));
  const requirePackage = compiled.require.bind(compiled);
  compiled.require = (specifier) =>
    specifier.startsWith('.')
      ? loadTypeScript(path.resolve(path.dirname(file), `${specifier.replace(/\.js$/, '')}.ts`), loaded)
      : requirePackage(specifier);
  loaded.set(file, compiled);
  compiled._compile(outputText, file);
  return compiled.exports;
}

function settingsReaders() {
  return loadTypeScript(path.join(__dirname, 'src', 'settings', 'values.ts'));
}

/**
 * Writes both manifests and the app package for the add-in hosted at `baseUrl`, from the one table they
 * share (src/manifest/addin-facts.ts): dist/manifest.xml, dist/manifest.json and dist/who-can-federate.zip
 * (manifest.json and appPackage/'s two icons at its root), for the Microsoft 365 admin center.
 */
class ManifestsPlugin {
  constructor(baseUrl) {
    this.baseUrl = baseUrl;
  }

  apply(compiler) {
    const sources = ['addin-facts.ts', 'xml-manifest.ts', 'unified-manifest.ts', 'app-package.ts'].map((f) =>
      path.join(__dirname, 'src', 'manifest', f),
    );
    const icons = ['color.png', 'outline.png'].map((f) => path.join(__dirname, 'appPackage', f));
    compiler.hooks.thisCompilation.tap('ManifestsPlugin', (compilation) => {
      compilation.hooks.processAssets.tap(
        { name: 'ManifestsPlugin', stage: webpack.Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL },
        () => {
          for (const file of [...sources, ...icons]) compilation.fileDependencies.add(file);
          const loaded = new Map();
          const { xmlManifest } = loadTypeScript(sources[1], loaded);
          const { unifiedManifestText } = loadTypeScript(sources[2], loaded);
          const { appPackage, APP_PACKAGE_FILE } = loadTypeScript(sources[3], loaded);
          const manifest = unifiedManifestText(this.baseUrl);
          const [color, outline] = icons.map((file) => fs.readFileSync(file));
          const { RawSource } = webpack.sources;
          compilation.emitAsset('manifest.xml', new RawSource(xmlManifest(this.baseUrl)));
          compilation.emitAsset('manifest.json', new RawSource(manifest));
          compilation.emitAsset(
            APP_PACKAGE_FILE,
            new RawSource(Buffer.from(appPackage({ manifest, color, outline }))),
          );
        },
      );
    });
  }
}

/** The pane's build-time configuration, from WCF_* environment variables (documented in docs/add-in.md). */
function paneConfig(dev) {
  const env = process.env;
  const devToken = env.WCF_DEV_TOKEN || '';
  if (devToken && !dev) {
    throw new Error(
      'WCF_DEV_TOKEN is set for a production build. It is for development builds only (npm run build:dev); unset it.',
    );
  }
  const { httpUrl, msRange, urlList } = settingsReaders();
  const dohUrls = urlList('WCF_DOH_URLS', env.WCF_DOH_URLS, []);
  // Microsoft's sign-in service, asked whether a domain is in a Microsoft 365 tenant; "off": never.
  const entraUrl = (env.WCF_ENTRA_URL || 'https://login.microsoftonline.com').trim();
  const entra =
    entraUrl.toLowerCase() === 'off' ? '' : httpUrl('WCF_ENTRA_URL', entraUrl).replace(/\/+$/, '');
  if (env.WCF_GRAPH_BASE_URL) httpUrl('WCF_GRAPH_BASE_URL', env.WCF_GRAPH_BASE_URL);
  if (env.WCF_COLLECTOR_URL) httpUrl('WCF_COLLECTOR_URL', env.WCF_COLLECTOR_URL);
  const shareDelayMs = msRange('WCF_SHARE_DELAY_MS', env.WCF_SHARE_DELAY_MS, {
    minMs: 120000,
    maxMs: 900000,
  });
  return {
    clientId: env.WCF_CLIENT_ID || '',
    graphBaseUrl: (env.WCF_GRAPH_BASE_URL || DEFAULT_GRAPH_BASE_URL).replace(/\/+$/, ''),
    dohUrls,
    entraUrl: entra,
    collectorUrl: env.WCF_COLLECTOR_URL || '',
    shareDelayMs,
    devToken,
    production: !dev,
  };
}

/**
 * HTTPS for `npm start`. office-addin-dev-certs makes a CA and a localhost certificate and trusts the
 * CA, which on Linux needs sudo: where that fails the files are still there, so serve with them and
 * say how to trust the CA by hand.
 */
async function getHttpsOptions() {
  const devCerts = require('office-addin-dev-certs');
  const defaults = require('office-addin-dev-certs/lib/defaults');
  try {
    const options = await devCerts.getHttpsServerOptions();
    return { ca: options.ca, key: options.key, cert: options.cert };
  } catch (error) {
    const files = [defaults.caCertificatePath, defaults.localhostCertificatePath, defaults.localhostKeyPath];
    if (!files.every((file) => fs.existsSync(file))) {
      await devCerts.generateCertificates(...files);
    }
    console.warn(
      [
        '',
        `The development certificate could not be added to this system's trust store (${error.message || error}).`,
        'Serving over HTTPS anyway; until you trust the CA, browsers and Outlook will warn about https://localhost:3000.',
        'To trust it on Debian/Ubuntu:',
        `  sudo cp ${defaults.caCertificatePath} /usr/local/share/ca-certificates/office-addin-dev-ca.crt && sudo update-ca-certificates`,
        'and for Chromium/Chrome (NSS, package libnss3-tools):',
        `  certutil -d sql:$HOME/.pki/nssdb -A -t "C,," -n office-addin-dev-ca -i ${defaults.caCertificatePath}`,
        '',
      ].join('\n'),
    );
    const [ca, cert, key] = files.map((file) => fs.readFileSync(file));
    return { ca, cert, key };
  }
}

module.exports = async (env = {}, options = {}) => {
  const dev = options.mode === 'development';
  const config = paneConfig(dev);
  const { DEV_BASE_URL } = loadTypeScript(path.join(__dirname, 'src', 'manifest', 'addin-facts.ts'));
  const urlProd = withSlash(process.env.WCF_PRODUCTION_URL || DEFAULT_URL_PROD);
  return {
    devtool: dev ? 'eval-source-map' : 'source-map',
    entry: {
      taskpane: './src/taskpane/index.tsx',
      commands: './src/commands/commands.ts',
      redirect: './src/auth/redirect-bridge.ts',
      dialog: './src/auth/dialog.ts',
    },
    output: {
      path: path.resolve(__dirname, env.outputPath || 'dist'),
      filename: '[name].[contenthash:8].js',
      clean: true,
    },
    resolve: {
      extensions: ['.ts', '.tsx', '.js'],
      // Dynamic imports name their target `.js`, as TypeScript's node16 resolution asks; the file is `.ts`.
      extensionAlias: { '.js': ['.ts', '.tsx', '.js'] },
      // dns-packet reads and writes through Node's Buffer: the browser gets the `buffer` package.
      fallback: { buffer: require.resolve('buffer/') },
    },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          // Type-checking is `npm run typecheck`'s job; the bundle only transpiles.
          use: { loader: 'ts-loader', options: { transpileOnly: true, configFile: 'tsconfig.pane.json' } },
        },
      ],
    },
    plugins: [
      new webpack.ProvidePlugin({ Buffer: ['buffer', 'Buffer'] }),
      new webpack.DefinePlugin({ WCF_CONFIG: JSON.stringify(config) }),
      new HtmlWebpackPlugin({
        filename: 'taskpane.html',
        template: './src/taskpane/taskpane.html',
        chunks: ['taskpane'],
      }),
      new HtmlWebpackPlugin({
        filename: 'commands.html',
        template: './src/commands/commands.html',
        chunks: ['commands'],
      }),
      new HtmlWebpackPlugin({
        filename: 'redirect.html',
        template: './src/auth/redirect.html',
        chunks: ['redirect'],
      }),
      new HtmlWebpackPlugin({
        filename: 'dialog.html',
        template: './src/auth/dialog.html',
        chunks: ['dialog'],
      }),
      new HtmlWebpackPlugin({ filename: 'support.html', template: './src/support/support.html', chunks: [] }),
      new HtmlWebpackPlugin({ filename: 'privacy.html', template: './src/support/privacy.html', chunks: [] }),
      new CopyWebpackPlugin({
        patterns: [{ from: 'assets/*', to: 'assets/[name][ext][query]' }],
      }),
      new ManifestsPlugin(dev ? DEV_BASE_URL : urlProd),
    ],
    performance: { hints: false },
    devServer: {
      host: 'localhost',
      static: false,
      headers: { 'Access-Control-Allow-Origin': '*' },
      server: {
        type: 'https',
        options: env.WEBPACK_BUILD || options.https !== undefined ? options.https : await getHttpsOptions(),
      },
      port: Number(process.env.npm_package_config_dev_server_port || 3000),
    },
  };
};
