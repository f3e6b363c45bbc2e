-- Real-editor test of the Neovim plugin, run headless:
--   COACHLINT_BIN=target/debug/coachlint nvim --headless -u NONE -l editors/nvim/test/run.lua
-- It puts the plugin on the runtimepath, enables the server the way a user would
-- (vim.lsp.enable), opens sample transcripts, waits for diagnostics, asks for code
-- actions, applies a rephrasing and checks the buffer text. Every wait polls a
-- condition with a timeout; nothing sleeps.

local script = debug.getinfo(1, 'S').source:sub(2)
local plugin_dir = vim.fs.dirname(vim.fs.dirname(vim.fs.normalize(vim.fn.fnamemodify(script, ':p'))))
local fixtures = vim.fs.joinpath(vim.fs.dirname(plugin_dir), 'fixtures')
local bin = os.getenv('COACHLINT_BIN') or 'coachlint'
local TIMEOUT = tonumber(os.getenv('COACHLINT_TEST_TIMEOUT_MS') or '') or 20000

vim.opt.rtp:prepend(plugin_dir)
vim.opt.swapfile = false
vim.opt.shadafile = 'NONE'
vim.cmd('filetype plugin on')
vim.cmd('syntax on')
vim.cmd.runtime('plugin/coachlint.lua')

-- What a user writes in init.lua (with the server path of this build).
vim.lsp.config('coachlint', { cmd = { bin, 'lsp' } })
vim.lsp.enable('coachlint')

local work = vim.fn.tempname()
vim.fn.mkdir(work, 'p')
-- A root marker, so the workspace is this folder and not the repository.
vim.fn.writefile({}, vim.fs.joinpath(work, '.git'))

local function copy_fixture(name, as)
  local dst = vim.fs.joinpath(work, as or name)
  vim.fn.writefile(vim.fn.readfile(vim.fs.joinpath(fixtures, name), 'b'), dst, 'b')
  return dst
end

local function wait_for(what, cond, timeout)
  local ok = vim.wait(timeout or TIMEOUT, cond, 20)
  assert(ok, 'timed out waiting for ' .. what)
end

local function client_for(bufnr)
  return vim.lsp.get_clients({ bufnr = bufnr, name = 'coachlint' })[1]
end

local function coachlint_diagnostics(bufnr)
  return vim.tbl_filter(function(d) return d.source == 'coachlint' end, vim.diagnostic.get(bufnr))
end

local function open(path)
  vim.cmd.edit(vim.fn.fnameescape(path))
  return vim.api.nvim_get_current_buf()
end

local function line_of(bufnr, needle)
  for i, l in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    if l:find(needle, 1, true) then return i - 1, l end
  end
  error('no line contains ' .. needle)
end

local tests = {}
local function test(name, fn) table.insert(tests, { name = name, fn = fn }) end

test('*.transcript is detected, highlighted, and the coach label set apart', function()
  local buf = open(copy_fixture('advice-heavy.transcript', 'syntax.transcript'))
  assert(vim.bo[buf].filetype == 'coaching-transcript', 'filetype is ' .. vim.bo[buf].filetype)
  local row, line = line_of(buf, 'Coach: OK so last time')
  local col = line:find('Coach:', 1, true)
  local name = vim.fn.synIDattr(vim.fn.synID(row + 1, col, 1), 'name')
  assert(name == 'ctCoachLabel', 'coach label highlighted as ' .. name)
  row, line = line_of(buf, 'Client: Not yet')
  name = vim.fn.synIDattr(vim.fn.synID(row + 1, line:find('Client', 1, true), 1), 'name')
  assert(name == 'ctLabel', 'client label highlighted as ' .. name)
  vim.cmd('bwipeout!')
  -- A coach with a name, from the front matter.
  buf = open(copy_fixture('good-coaching.transcript', 'named.transcript'))
  for needle, want in pairs({ ['Maya Chen: Hi Jordan'] = 'ctCoachLabel', ['Jordan Ellis: I think'] = 'ctLabel' }) do
    row, line = line_of(buf, needle)
    name = vim.fn.synIDattr(vim.fn.synID(row + 1, line:find(needle, 1, true), 1), 'name')
    assert(name == want, ('%s highlighted as %s, want %s'):format(needle, name, want))
  end
  vim.cmd('bwipeout!')
end)

test('findings arrive as diagnostics and a rephrasing quick fix rewrites the sentence', function()
  local t0 = vim.uv.hrtime()
  local buf = open(copy_fixture('advice-heavy.transcript'))
  wait_for('the server to attach', function() return client_for(buf) ~= nil end)
  local client = client_for(buf)
  wait_for('diagnostics', function() return #coachlint_diagnostics(buf) > 0 end)
  -- A figure for the report, not an assertion: how long a coach waits for findings.
  io.stdout:write(('  first findings %.0f ms after opening the file\n'):format((vim.uv.hrtime() - t0) / 1e6))
  local diags = coachlint_diagnostics(buf)
  local target = 'You should definitely go for it.'
  local row, before = line_of(buf, target)
  local on_line = vim.tbl_filter(function(d) return d.lnum == row end, diags)
  assert(#on_line > 0, ('no diagnostic on line %d; got %s'):format(row + 1, vim.inspect(diags)))
  local codes = vim.tbl_map(function(d) return tostring(d.code) end, diags)
  assert(vim.iter(codes):any(function(c) return c:match('^ADV%d+$') end), 'no ADV finding: ' .. table.concat(codes, ' '))

  -- Ask for code actions where the advice is, with its diagnostics, as `gra` does.
  local d = on_line[1]
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(buf),
    range = { start = { line = d.lnum, character = d.col }, ['end'] = { line = d.end_lnum, character = d.end_col } },
    context = {
      diagnostics = vim.tbl_map(function(x) return x.user_data.lsp end, on_line),
      only = { 'quickfix' },
      triggerKind = 1,
    },
  }
  local resp = client:request_sync('textDocument/codeAction', params, TIMEOUT, buf)
  assert(resp and not resp.err, 'codeAction failed: ' .. vim.inspect(resp))
  local actions = resp.result or {}
  assert(#actions > 0, 'no code actions at line ' .. (row + 1))
  -- The preferred quick fix is the best rephrasing.
  local action = vim.iter(actions):find(function(a) return a.isPreferred end) or actions[1]
  if not action.edit and not action.command then
    local r = client:request_sync('codeAction/resolve', action, TIMEOUT, buf)
    assert(r and not r.err, 'codeAction/resolve failed: ' .. vim.inspect(r))
    action = r.result
  end
  assert(action.edit, 'the rephrasing carries no edit: ' .. vim.inspect(action))
  local changes = action.edit.changes and action.edit.changes[vim.uri_from_bufnr(buf)]
  if not changes then
    for _, dc in ipairs(action.edit.documentChanges or {}) do
      if dc.textDocument and dc.textDocument.uri == vim.uri_from_bufnr(buf) then changes = dc.edits end
    end
  end
  assert(changes and #changes > 0, 'the edit does not touch this buffer: ' .. vim.inspect(action.edit))
  vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)

  local after = vim.api.nvim_buf_get_lines(buf, row, row + 1, false)[1]
  assert(after ~= before, 'the line did not change')
  assert(not after:find(target, 1, true), 'the advice is still there: ' .. after)
  local inserted = changes[1].newText
  assert(inserted ~= '' and after:find(inserted, 1, true), ('"%s" not in "%s"'):format(inserted, after))
  assert(inserted:find('?', 1, true), 'the rephrasing is not a question: ' .. inserted)
  -- The speaker label and timestamp stay as they were.
  assert(after:find('^%[00:00:16%] Coach: '), 'label changed: ' .. after)
  -- The server re-lints the edited text: that finding is gone from the line.
  wait_for('the finding on the rephrased line to clear', function()
    return not vim.iter(coachlint_diagnostics(buf)):any(function(x)
      return x.lnum == row and x.code == d.code and x.col == d.col
    end)
  end)
  io.stdout:write(('  rephrased: %q -> %q (%s)\n'):format(target, inserted, action.title))
  vim.cmd('bwipeout!')
end)

test('hover on a finding explains it', function()
  local buf = open(copy_fixture('advice-heavy.transcript', 'hover.transcript'))
  wait_for('diagnostics', function() return #coachlint_diagnostics(buf) > 0 end)
  local client = client_for(buf)
  if not client.server_capabilities.hoverProvider then error('the server offers no hover') end
  local d = coachlint_diagnostics(buf)[1]
  local resp = client:request_sync('textDocument/hover', {
    textDocument = vim.lsp.util.make_text_document_params(buf),
    position = { line = d.lnum, character = d.col },
  }, TIMEOUT, buf)
  assert(resp and not resp.err and resp.result, 'no hover: ' .. vim.inspect(resp))
  local text = vim.inspect(resp.result.contents)
  assert(text:find(tostring(d.code), 1, true), 'hover does not name ' .. tostring(d.code) .. ': ' .. text)
  vim.cmd('bwipeout!')
end)

test('other formats stay off by default, and random text files are never attached', function()
  local otter = open(copy_fixture('advice-heavy.otter.txt', 'off.otter.txt'))
  assert(vim.bo[otter].filetype == 'text', 'filetype ' .. vim.bo[otter].filetype)
  assert(not require('coachlint').wanted(otter), 'wanted with other_formats off')
  -- root_dir runs on FileType, synchronously: nothing was started for this buffer.
  assert(client_for(otter) == nil, 'attached to a .txt with other_formats off')
  vim.cmd('bwipeout!')

  require('coachlint').setup({ other_formats = true })
  vim.fn.writefile({ 'Shopping list', 'Note: milk', 'eggs', 'bread', 'TODO: call Sam back' }, vim.fs.joinpath(work, 'list.txt'))
  local list = open(vim.fs.joinpath(work, 'list.txt'))
  assert(not require('coachlint').wanted(list), 'a shopping list taken for a transcript')
  assert(client_for(list) == nil, 'attached to a shopping list')
  vim.cmd('bwipeout!')
end)

test('opted in, Otter .txt and Zoom .vtt exports are linted', function()
  require('coachlint').setup({ other_formats = true })
  for _, name in ipairs({ 'advice-heavy.otter.txt', 'advice-heavy.zoom.vtt' }) do
    local buf = open(copy_fixture(name))
    assert(require('coachlint').wanted(buf), name .. ' not taken for a transcript (filetype ' .. vim.bo[buf].filetype .. ')')
    wait_for(name .. ': the server to attach', function() return client_for(buf) ~= nil end)
    wait_for(name .. ': diagnostics', function() return #coachlint_diagnostics(buf) > 0 end)
    vim.cmd('bwipeout!')
  end
  require('coachlint').setup({ other_formats = false })
end)

test(':CoachlintReport writes the session report and opens it', function()
  local opened
  require('coachlint').setup({ open = function(p) opened = p end })
  local buf = open(copy_fixture('good-coaching.transcript'))
  vim.cmd('CoachlintReport')
  wait_for('the report', function() return opened ~= nil end)
  local html = table.concat(vim.fn.readfile(opened), '\n')
  assert(html:lower():find('<html', 1, true), 'not HTML: ' .. html:sub(1, 200))
  assert(html:find('Maya Chen', 1, true), 'the report does not name the coach')
  vim.cmd('bwipeout!')
  vim.api.nvim_buf_is_valid(buf)
end)

test('init_options reach the server: ignoring ADV001 drops those findings', function()
  vim.lsp.config('coachlint', { init_options = { ignore = { 'ADV001' } } })
  for _, c in ipairs(vim.lsp.get_clients({ name = 'coachlint' })) do
    c:stop(true)
  end
  wait_for('the old client to stop', function() return #vim.lsp.get_clients({ name = 'coachlint' }) == 0 end)
  local buf = open(copy_fixture('advice-heavy.transcript', 'ignored.transcript'))
  wait_for('diagnostics', function() return #coachlint_diagnostics(buf) > 0 end)
  local codes = vim.tbl_map(function(d) return tostring(d.code) end, coachlint_diagnostics(buf))
  assert(not vim.tbl_contains(codes, 'ADV001'), 'ADV001 still reported: ' .. table.concat(codes, ' '))
  assert(vim.iter(codes):any(function(c) return c:match('^ADV') end), 'no other advice finding: ' .. table.concat(codes, ' '))
  vim.cmd('bwipeout!')
end)

test(':checkhealth coachlint finds the server', function()
  vim.cmd('checkhealth coachlint')
  local text = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
  assert(text:find('server: ', 1, true), text)
  assert(not text:find('ERROR', 1, true), text)
  vim.cmd('bwipeout!')
end)

local passed, failed = 0, 0
for _, t in ipairs(tests) do
  local ok, err = xpcall(t.fn, debug.traceback)
  if ok then
    passed = passed + 1
    io.stdout:write('ok - ' .. t.name .. '\n')
  else
    failed = failed + 1
    io.stdout:write('not ok - ' .. t.name .. '\n' .. tostring(err) .. '\n')
    pcall(vim.cmd, 'silent! %bwipeout!')
  end
end

for _, c in ipairs(vim.lsp.get_clients({ name = 'coachlint' })) do
  c:stop(true)
end
vim.fn.delete(work, 'rf')
io.stdout:write(('\nnvim: %d passed, %d failed\n'):format(passed, failed))
os.exit(failed == 0 and 0 or 1)
