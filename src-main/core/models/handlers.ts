import type { Handlers } from '../rpc/rpc-server';
import type { ModelsService } from './models-service';

type ModelMethods =
  | 'models.catalog'
  | 'models.list'
  | 'models.import'
  | 'models.remove'
  | 'models.load'
  | 'models.setDefault'
  | 'models.fit'
  | 'models.reveal'
  | 'models.chooseFile'
  | 'downloads.list'
  | 'downloads.start'
  | 'downloads.pause'
  | 'downloads.resume'
  | 'downloads.cancel'
  | 'downloads.setToken';

export function modelHandlers(models: () => ModelsService): Pick<Handlers, ModelMethods> {
  return {
    'models.catalog': () => models().catalog(),
    'models.list': () => models().list(),
    'models.import': ({ path, copy }) => models().import(path, copy),
    'models.remove': ({ path }) => models().remove(path),
    'models.load': ({ path }) => models().load(path),
    'models.setDefault': ({ path }) => models().setDefault(path),
    'models.fit': ({ path, contextSize, gpuLayers }) => models().fit(path, { contextSize, gpuLayers }),
    'models.reveal': ({ path }) => models().reveal(path),
    'models.chooseFile': () => models().chooseFile(),
    'downloads.list': () => ({ downloads: models().downloads.list(), hasToken: models().hasToken() }),
    'downloads.start': ({ catalogId }) => models().startDownload(catalogId),
    'downloads.pause': ({ id }) => {
      models().downloads.pause(id);
      return { paused: true };
    },
    'downloads.resume': ({ id }) => models().downloads.resume(id),
    'downloads.cancel': ({ id }) => {
      models().downloads.cancel(id);
      return { cancelled: true };
    },
    'downloads.setToken': ({ token }) => models().setToken(token),
  };
}
