import { http } from './client.js'

/** GET /api/setup (server/tls/setup.ts): what the printable page needs to put a counter tablet on HTTPS. */
export interface SetupInfo {
  tls: boolean
  localCa: boolean
  caFingerprint: string | null
  caUrl: string | null
  caQrSvg: string | null
  kiosk: { url: string; qrSvg: string }[]
}

export const setup = {
  info: () => http.get<SetupInfo>('/api/setup'),
}
