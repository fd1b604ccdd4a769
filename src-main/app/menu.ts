/** The application menu: standard roles plus Phidesk's own commands, which the renderer carries out. */
import { Menu, shell, type MenuItemConstructorOptions } from 'electron';
import type { AppCommand } from '../../src-shared/types';

export function installMenu(send: (command: AppCommand) => void, isDev: boolean): void {
  const isMac = process.platform === 'darwin';
  const navigate = (view: Extract<AppCommand, { command: 'navigate' }>['view']) => () =>
    send({ command: 'navigate', view });

  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' } as const] : []),
    {
      label: 'File',
      submenu: [
        { label: 'New Chat', accelerator: 'CmdOrCtrl+N', click: () => send({ command: 'new-chat' }) },
        { label: 'Search…', accelerator: 'CmdOrCtrl+K', click: () => send({ command: 'search' }) },
        { type: 'separator' },
        { label: 'Settings…', accelerator: 'CmdOrCtrl+,', click: navigate('settings') },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { label: 'Chat', accelerator: 'CmdOrCtrl+1', click: navigate('chat') },
        { label: 'Tutor', accelerator: 'CmdOrCtrl+2', click: navigate('tutor') },
        { label: 'Mistake Check', accelerator: 'CmdOrCtrl+3', click: navigate('mistakes') },
        { label: 'Notes', accelerator: 'CmdOrCtrl+4', click: navigate('notes') },
        { label: 'Models', accelerator: 'CmdOrCtrl+5', click: navigate('models') },
        { type: 'separator' },
        { role: 'reload' },
        ...(isDev ? [{ role: 'toggleDevTools' } as const] : []),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        {
          label: 'Phi-2 on Hugging Face',
          click: () => void shell.openExternal('https://huggingface.co/microsoft/phi-2'),
        },
      ],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
