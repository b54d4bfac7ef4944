// Photos from the phone (materials): the system camera via <input capture> when the WebView offers it,
// the album / a file otherwise — a denied camera is a normal path, not an error.
// Uploads must stay under 10 MB (API Gateway's cap), so large photos are re-encoded in a canvas,
// stepping down quality then size, never below what keeps a document legible.
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
const MIN_LONG_SIDE = 1600; // an A4 page photographed at this size still reads at 8 pt
const MIN_QUALITY = 0.6;

/** Let the person choose a picture: `camera` asks for the camera first (WebViews honour `capture`),
 * a browser without one shows its file chooser. Resolves null when they cancel. */
export function pickImage(options: { camera?: "user" | "environment" } = {}): Promise<File | null> {
  return new Promise((resolve) => {
    const input = document.createElement("input");
    input.type = "file";
    input.accept = "image/*";
    if (options.camera) input.setAttribute("capture", options.camera);
    input.style.display = "none";
    input.addEventListener("change", () => {
      resolve(input.files?.[0] ?? null);
      input.remove();
    });
    input.addEventListener("cancel", () => {
      resolve(null);
      input.remove();
    });
    document.body.append(input);
    input.click();
  });
}

function toBlob(canvas: HTMLCanvasElement, quality: number): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("encode"))), "image/jpeg", quality),
  );
}

async function decode(file: Blob): Promise<ImageBitmap | HTMLImageElement> {
  if (typeof createImageBitmap === "function") return createImageBitmap(file);
  const url = URL.createObjectURL(file);
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    return image;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** The file itself when it is small enough, else a JPEG re-encoding under `limit` bytes: quality first
 * (0.9 → 0.6), then the long side (×0.8 each step, not below 1600 px). Rejects when even that is over. */
export async function compressImage(file: File, limit = MAX_UPLOAD_BYTES): Promise<File> {
  if (file.size <= limit) return file;
  const image = await decode(file);
  const width = "naturalWidth" in image ? image.naturalWidth : image.width;
  const height = "naturalHeight" in image ? image.naturalHeight : image.height;
  let scale = Math.min(1, 4096 / Math.max(width, height));
  const canvas = document.createElement("canvas");
  for (;;) {
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    canvas.getContext("2d")?.drawImage(image, 0, 0, canvas.width, canvas.height);
    for (let quality = 0.9; quality >= MIN_QUALITY - 1e-9; quality -= 0.1) {
      const blob = await toBlob(canvas, quality);
      if (blob.size <= limit) return new File([blob], file.name.replace(/\.\w+$/, "") + ".jpg", { type: "image/jpeg" });
    }
    if (Math.max(canvas.width, canvas.height) * 0.8 < MIN_LONG_SIDE) break;
    scale *= 0.8;
  }
  throw new RangeError("图片过大，压缩后仍超过10MB，请换一张照片");
}
