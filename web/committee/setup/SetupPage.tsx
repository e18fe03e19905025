import { createResource, For, Show } from 'solid-js'
import { setup } from '../../api/setup'
import { t } from '../../i18n'
import { Loaded } from '../../ui/Loaded'
import './setup.css'

/**
 * The printable page that puts a counter tablet on HTTPS (A4, Chinese first): the village CA to install, with
 * its fingerprint, the counter's address as a QR code, and the five steps. The QR codes are the server's SVG.
 */
export default function SetupPage() {
  const [info, { refetch }] = createResource(() => setup.info())
  return (
    <div class="setup-page">
      <div class="row no-print">
        <h1>{t('setup.title')}</h1>
        <button type="button" class="primary" onClick={() => window.print()}>
          {t('setup.print')}
        </button>
      </div>
      <h1 class="print-only">{t('setup.title')}</h1>
      <Loaded resource={info} retry={refetch}>
        {(s) => (
          <>
            <Show when={!s.tls}>
              <p class="message warn">{t('setup.noTls')}</p>
            </Show>
            <Show when={s.tls && !s.localCa}>
              <p class="message ok">{t('setup.ownCert')}</p>
            </Show>
            <Show when={s.localCa && s.caUrl}>
              <section class="setup-step">
                <h2>{t('setup.step1')}</h2>
                <div class="setup-qr-row">
                  <div class="setup-qr" innerHTML={s.caQrSvg ?? ''} />
                  <div>
                    <p>{t('setup.step1.scan')}</p>
                    <p class="setup-url">
                      <a href="/ca.crt" download="gongyi-village-ca.crt" data-testid="ca-link">
                        {s.caUrl}
                      </a>
                    </p>
                    <p>{t('setup.step1.android')}</p>
                    <p>{t('setup.step1.check')}</p>
                    <p class="setup-fingerprint" data-testid="ca-fingerprint">
                      <b>{t('setup.fingerprint')}</b>
                      <br />
                      {s.caFingerprint}
                    </p>
                  </div>
                </div>
              </section>
            </Show>
            <section class="setup-step">
              <h2>{t('setup.step2')}</h2>
              <p>{t('setup.step2.scan')}</p>
              <div class="setup-qr-list">
                <For each={s.kiosk.slice(0, 3)}>
                  {(k) => (
                    <figure>
                      <div class="setup-qr" innerHTML={k.qrSvg} />
                      <figcaption class="setup-url" data-testid="kiosk-url">
                        {k.url}
                      </figcaption>
                    </figure>
                  )}
                </For>
              </div>
            </section>
            <section class="setup-step">
              <h2>{t('setup.step3')}</h2>
              <p>{t('setup.step3.text')}</p>
              <h2>{t('setup.step4')}</h2>
              <p>{t('setup.step4.text')}</p>
              <h2>{t('setup.step5')}</h2>
              <p>{t('setup.step5.text')}</p>
            </section>
          </>
        )}
      </Loaded>
    </div>
  )
}
