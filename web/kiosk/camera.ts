import { type FrameDecoder, loadDecoder } from './decoder'

export type CameraProblem = 'insecure' | 'none' | 'denied' | 'decoder'

export class CameraError extends Error {
  constructor(
    readonly problem: CameraProblem,
    cause?: unknown,
  ) {
    super(problem, { cause })
  }
}

/** Frames are read one after another, ~8 a second: enough for a card held up, light on a cheap tablet's CPU. */
const FRAME_INTERVAL_MS = 120

/**
 * Starts the camera into `video` and calls `onCode` with every code it reads. Returns the function that stops
 * the camera (and the light beside it).
 */
export async function startCamera(video: HTMLVideoElement, onCode: (code: string) => void): Promise<() => void> {
  if (!window.isSecureContext || !navigator.mediaDevices?.getUserMedia) throw new CameraError('insecure')
  let stream: MediaStream
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: { facingMode: { ideal: 'environment' }, width: { ideal: 640 }, height: { ideal: 480 } },
    })
  } catch (e) {
    const name = (e as Error).name
    throw new CameraError(name === 'NotAllowedError' || name === 'SecurityError' ? 'denied' : 'none', e)
  }
  let stopped = false
  const stop = () => {
    stopped = true
    for (const track of stream.getTracks()) track.stop()
    video.srcObject = null
  }
  let decoder: FrameDecoder
  try {
    video.srcObject = stream
    video.muted = true
    video.playsInline = true
    await video.play()
    decoder = await loadDecoder()
  } catch (e) {
    stop()
    throw new CameraError('decoder', e)
  }
  video.dataset.decoder = decoder.name
  const loop = async () => {
    while (!stopped) {
      if (video.readyState >= 2) {
        try {
          const code = await decoder.decode(video)
          if (code && !stopped) onCode(code)
        } catch {}
      }
      await new Promise((r) => setTimeout(r, FRAME_INTERVAL_MS))
    }
  }
  void loop()
  return stop
}

/**
 * The camera keeps seeing the card for a while after reading it: the same code within this time is one scan.
 */
export function dedupe(onCode: (code: string) => void, windowMs = 4000): (code: string) => void {
  let last = ''
  let lastAt = 0
  return (code) => {
    const now = Date.now()
    if (code === last && now - lastAt < windowMs) {
      lastAt = now
      return
    }
    last = code
    lastAt = now
    onCode(code)
  }
}
