import type { Unit } from '../engine/unit.js';

/** Feature `uploads` (C16): POST/GET /api/v1/files with size, type (magic bytes) and dimension checks. */
export const unit: Unit = {
  id: 'uploads',
  title: 'File uploads',
  checklist: ['C16'],
  dependencies: ['busboy'],
  devDependencies: ['@types/busboy'],
  env: [
    { name: 'UPLOAD_MAX_BYTES', example: '5242880', description: 'Largest accepted file in bytes (413 above)' },
    {
      name: 'UPLOAD_DIR',
      example: './data/uploads',
      description: 'Where files are stored (random names). Ephemeral on Heroku: use persistent storage for real files',
    },
    { name: 'UPLOAD_MAX_IMAGE_PIXELS', example: '40000000', description: 'Largest accepted image, width × height (413 above)' },
  ],
  module: 'uploads/module',
  order: 60,
};
