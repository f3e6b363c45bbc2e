-- Turns are long lines of speech: wrap them at word boundaries, keep labels in view.
if vim.b.did_ftplugin then return end
vim.b.did_ftplugin = true
vim.opt_local.wrap = true
vim.opt_local.linebreak = true
vim.opt_local.breakindent = true
vim.opt_local.spell = false
vim.b.undo_ftplugin = 'setlocal wrap< linebreak< breakindent< spell<'
