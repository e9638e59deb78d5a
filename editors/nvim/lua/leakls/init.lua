-- leakls for Neovim (0.7 and later): starts `leakls serve` for JavaScript and
-- TypeScript buffers, one client per project root, adds the commands
-- :LeaklsAnalyze, :LeaklsCapture and :LeaklsRetainers, and refreshes the
-- code lenses. All analysis happens in the server; this file only starts it,
-- forwards commands and asks for the lenses.
local M = {}

-- The file types leakls serves.
M.filetypes = { 'javascript', 'javascriptreact', 'typescript', 'typescriptreact' }

-- The server's executeCommand names (see docs/lsp.md).
local ANALYZE = 'leakls.analyzeSnapshots'
local CLEAR = 'leakls.clearSnapshotFindings'
local CAPTURE = 'leakls.captureSnapshots'

local defaults = {
  -- The server command.
  cmd = { 'leakls', 'serve' },
  -- The leakls settings (the keys of leakls.json: rules, ignore, snapshots).
  settings = {},
  -- Files or directories that mark a project root, nearest first.
  root_markers = { 'leakls.json', 'package.json', 'tsconfig.json', 'jsconfig.json', '.git' },
  -- Start the client when a JavaScript/TypeScript buffer opens. Set it to
  -- false when nvim-lspconfig starts leakls; the commands still work.
  autostart = true,
  -- Refresh the code lenses (the allocation figures of a heap profile) of
  -- the buffers the plugin attaches, on BufEnter, CursorHold and InsertLeave.
  codelens = true,
  -- Passed through to the client.
  on_attach = nil,
  capabilities = nil,
}

local config = vim.deepcopy(defaults)

-- Client ids by root directory, for Neovim versions without vim.lsp.start.
local clients = {}

local function notify(msg, level)
  vim.notify('leakls: ' .. msg, level or vim.log.levels.INFO)
end

-- root_dir returns the project root of a file: the nearest ancestor holding
-- one of the root markers, else the file's directory.
function M.root_dir(fname)
  local dir = vim.fn.fnamemodify(fname, ':p:h')
  for _, marker in ipairs(config.root_markers) do
    local f = vim.fn.findfile(marker, dir .. ';')
    if f ~= '' then
      return vim.fn.fnamemodify(f, ':p:h')
    end
    local d = vim.fn.finddir(marker, dir .. ';')
    if d ~= '' then
      -- ':p' ends a directory with '/', so its parent is two heads up.
      return vim.fn.fnamemodify(d, ':p:h:h')
    end
  end
  return dir
end

-- client_config returns the vim.lsp client configuration for a root.
local function client_config(root)
  return {
    name = 'leakls',
    cmd = config.cmd,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = vim.fn.fnamemodify(root, ':t') } },
    init_options = config.settings,
    -- Answered to the server's workspace/configuration request (section "leakls").
    settings = { leakls = config.settings },
    -- The allocation lenses carry an empty command (VS Code shows them as
    -- text that cannot be clicked); running one echoes it in full.
    commands = {
      [''] = function(command)
        notify(command.title)
        vim.lsp.codelens.refresh({ bufnr = 0 })
      end,
    },
    capabilities = config.capabilities,
    on_attach = config.on_attach,
    on_exit = function(_, _, id)
      for r, cid in pairs(clients) do
        if cid == id then
          clients[r] = nil
        end
      end
    end,
  }
end

-- watch_codelens refreshes the buffer's code lenses when it is entered,
-- after the cursor rests and after insert mode. Only once the buffer's
-- leakls client is initialized and offers lenses: Neovim 0.7 would report
-- an unsupported method otherwise, and stop refreshing the buffer for good.
local function watch_codelens(bufnr)
  if not config.codelens or vim.lsp.codelens == nil or vim.lsp.codelens.refresh == nil then
    return
  end
  local group = vim.api.nvim_create_augroup('leakls_codelens', { clear = false })
  vim.api.nvim_clear_autocmds({ group = group, buffer = bufnr })
  vim.api.nvim_create_autocmd({ 'BufEnter', 'CursorHold', 'InsertLeave' }, {
    group = group,
    buffer = bufnr,
    callback = function()
      local c = M.client(bufnr)
      if c ~= nil and c.initialized and vim.lsp.buf_is_attached(bufnr, c.id)
        and c.server_capabilities and c.server_capabilities.codeLensProvider then
        vim.lsp.codelens.refresh({ bufnr = bufnr })
      end
    end,
  })
end

-- attach starts the leakls client for the buffer's project (or reuses the
-- running one) and attaches the buffer to it. Buffers that are not files on
-- disk (no name, or a URI such as fugitive:// or untitled:) are left alone.
function M.attach(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local fname = vim.api.nvim_buf_get_name(bufnr)
  if fname == '' or fname:match('^%a[%w+.-]*://') or vim.bo[bufnr].buftype ~= '' then
    return nil
  end
  if vim.fn.executable(config.cmd[1]) ~= 1 then
    notify(string.format("'%s' is not executable: install leakls (go install github.com/leakls/leakls/cmd/leakls@latest) or set cmd in require('leakls').setup()", config.cmd[1]), vim.log.levels.ERROR)
    return nil
  end
  local root = M.root_dir(fname)
  watch_codelens(bufnr)
  if vim.lsp.start then
    return vim.lsp.start(client_config(root), { bufnr = bufnr })
  end
  local id = clients[root]
  if id == nil or vim.lsp.get_client_by_id(id) == nil then
    id = vim.lsp.start_client(client_config(root))
    if id == nil then
      notify('could not start ' .. table.concat(config.cmd, ' '), vim.log.levels.ERROR)
      return nil
    end
    clients[root] = id
  end
  vim.lsp.buf_attach_client(bufnr, id)
  return id
end

-- client returns the leakls client attached to the buffer (started by this
-- plugin or by nvim-lspconfig), or nil.
function M.client(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  if vim.lsp.get_clients then -- Neovim 0.10 and later
    return vim.lsp.get_clients({ bufnr = bufnr, name = 'leakls' })[1] or vim.lsp.get_clients({ name = 'leakls' })[1]
  end
  for _, c in pairs(vim.lsp.buf_get_clients(bufnr)) do
    if c.name == 'leakls' then
      return c
    end
  end
  for _, c in pairs(vim.lsp.get_active_clients()) do
    if c.name == 'leakls' then
      return c
    end
  end
  return nil
end

local function has_command(c, name)
  local p = c.server_capabilities and c.server_capabilities.executeCommandProvider
  return p ~= nil and vim.tbl_contains(p.commands or {}, name)
end

-- execute runs a server command and reports its outcome.
local function execute(command, arguments, done_msg)
  local c = M.client(0)
  if c == nil then
    notify('no leakls client is running: open a JavaScript or TypeScript file first', vim.log.levels.ERROR)
    return
  end
  c.request('workspace/executeCommand', { command = command, arguments = arguments }, function(err)
    if err then
      -- The server's message names the command already.
      notify(err.message or (command .. ': ' .. vim.inspect(err)), vim.log.levels.ERROR)
    elseif done_msg then
      notify(done_msg)
    end
  end, 0)
end

-- analyze analyses heap snapshots (baseline, target[, final], or one
-- snapshot alone for its biggest holders); with no files, the set the
-- server found last in the workspace.
function M.analyze(files)
  local paths = {}
  for _, f in ipairs(files or {}) do
    table.insert(paths, vim.fn.fnamemodify(vim.fn.expand(f), ':p'))
  end
  if #paths > 3 then
    notify('give 2 or 3 snapshots in the order taken (baseline, target[, final]), 1 alone, or none for the set in the workspace', vim.log.levels.ERROR)
    return
  end
  execute(ANALYZE, paths, 'snapshot analysis done; the evidence is in the diagnostics')
end

-- clear removes all snapshot evidence.
function M.clear()
  execute(CLEAR, {}, 'snapshot evidence cleared')
end

-- capture asks the server to capture heap snapshots of a running program
-- (target: its inspector address, such as 127.0.0.1:9229 or a ws:// URL).
function M.capture(target)
  local c = M.client(0)
  if c ~= nil and not has_command(c, CAPTURE) then
    notify('this leakls server cannot capture snapshots; take them with `leakls capture` or v8.writeHeapSnapshot() and run :LeaklsAnalyze', vim.log.levels.ERROR)
    return
  end
  local args = {}
  if target and target ~= '' then
    args = { target }
  end
  execute(CAPTURE, args, 'snapshots captured')
end

-- byte_col converts a position's character offset (in the client's
-- encoding) into a 0-based byte column of the file's line.
local function byte_col(fname, line, character, encoding)
  local text
  local bufnr = vim.fn.bufnr(fname)
  if bufnr ~= -1 and vim.api.nvim_buf_is_loaded(bufnr) then
    text = vim.api.nvim_buf_get_lines(bufnr, line, line + 1, false)[1]
  elseif vim.fn.filereadable(fname) == 1 then
    text = vim.fn.readfile(fname, '', line + 1)[line + 1]
  end
  if text == nil or encoding == 'utf-8' then
    return character
  end
  local ok, col = pcall(vim.str_byteindex, text, character, encoding == 'utf-16')
  return ok and col or character
end

-- retainers returns the retainer path of the snapshot evidence at the
-- cursor (else of the first evidence in the buffer) as quickfix items, the
-- finding first, then its related locations (the holder's declaration, the
-- hops), or nil and the reason.
function M.retainers(bufnr)
  bufnr = (bufnr == nil or bufnr == 0) and vim.api.nvim_get_current_buf() or bufnr
  local c = M.client(bufnr)
  local encoding = c and c.offset_encoding or 'utf-16'
  local evidence = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if type(d.code) == 'string' and d.code:match('^LK1') then
      table.insert(evidence, d)
    end
  end
  if #evidence == 0 then
    return nil, 'no snapshot evidence in this buffer: analyse heap snapshots first (:LeaklsAnalyze)'
  end
  local lnum = vim.api.nvim_win_get_cursor(0)[1] - 1
  local pick = evidence[1]
  for _, d in ipairs(evidence) do
    if d.lnum <= lnum and lnum <= d.end_lnum then
      pick = d
      break
    end
  end
  local items = {
    { bufnr = bufnr, lnum = pick.lnum + 1, col = pick.col + 1, text = pick.message:gsub('\n.*', '') },
  }
  local related = pick.user_data and pick.user_data.lsp and pick.user_data.lsp.relatedInformation or {}
  for _, r in ipairs(related) do
    local fname = vim.uri_to_fname(r.location.uri)
    local start = r.location.range.start
    table.insert(items, {
      filename = fname,
      lnum = start.line + 1,
      col = byte_col(fname, start.line, start.character, encoding) + 1,
      text = r.message,
    })
  end
  return items
end

-- show_retainers puts the retainer path in the quickfix list and opens it.
function M.show_retainers()
  local items, why = M.retainers(0)
  if items == nil then
    notify(why, vim.log.levels.WARN)
    return
  end
  vim.fn.setqflist({}, ' ', { title = 'leakls retainer path', items = items })
  vim.cmd('copen')
end

local function define_commands()
  vim.api.nvim_create_user_command('LeaklsAnalyze', function(o)
    M.analyze(o.fargs)
  end, { nargs = '*', complete = 'file', desc = 'leakls: analyse heap snapshots (baseline target [final])' })
  vim.api.nvim_create_user_command('LeaklsClear', function()
    M.clear()
  end, { nargs = 0, desc = 'leakls: remove the heap-snapshot evidence' })
  vim.api.nvim_create_user_command('LeaklsCapture', function(o)
    M.capture(o.args)
  end, { nargs = '?', desc = 'leakls: capture heap snapshots of a running program' })
  vim.api.nvim_create_user_command('LeaklsRetainers', function()
    M.show_retainers()
  end, { nargs = 0, desc = 'leakls: show the retainer path of the evidence at the cursor' })
end

-- setup configures leakls and, unless autostart is false, starts it for
-- every JavaScript/TypeScript buffer (the ones already open included).
function M.setup(opts)
  config = vim.tbl_deep_extend('force', vim.deepcopy(defaults), opts or {})
  if opts and opts.settings then
    config.settings = opts.settings -- keep lists such as ignore intact
  end
  define_commands()
  local group = vim.api.nvim_create_augroup('leakls', { clear = true })
  if not config.autostart then
    return
  end
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = M.filetypes,
    callback = function(args)
      M.attach(args.buf)
    end,
  })
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(b) and vim.tbl_contains(M.filetypes, vim.bo[b].filetype) then
      M.attach(b)
    end
  end
end

return M
