/** Reads a QR code (or a product barcode) from the camera's current frame. Its own file: decoder.ts picks one, zxing-decoder.ts is one. */
export interface FrameDecoder {
  name: string
  decode(video: HTMLVideoElement): Promise<string | null>
}
