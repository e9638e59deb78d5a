-- End-to-end test of the leakls Neovim plugin, run by editors/nvim_test.go in
-- headless Neovim against the real server. Inputs come from the environment:
-- LEAKLS_BIN (the server binary), LEAKLS_WS (a copy of testdata/workspace
-- and testdata/snapshots), LEAKLS_NODE (node), LEAKLS_LOG (where each step
-- is reported). A failing step writes "FAIL ..." and exits with status 1.
local env = vim.env
local log = assert(io.open(env.LEAKLS_LOG, 'w'))

local function step(msg)
  log:write('ok ' .. msg .. '\n')
  log:flush()
end

local function wait(what, cond, ms)
  if not vim.wait(ms or 20000, cond, 20) then
    error('timed out waiting for ' .. what, 2)
  end
end

local function diags(bufnr, code)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.code == code then
      table.insert(out, d)
    end
  end
  return out
end

local function request(bufnr, method, params)
  local res, err = vim.lsp.buf_request_sync(bufnr, method, params, 20000)
  if res == nil then
    error(method .. ': ' .. tostring(err), 2)
  end
  for _, r in pairs(res) do
    if r.error then
      error(method .. ': ' .. vim.inspect(r.error), 2)
    end
    return r.result
  end
  error(method .. ': no answer', 2)
end

local function main()
  local leakls = require('leakls')
  leakls.setup({ cmd = { env.LEAKLS_BIN, 'serve' }, settings = { rules = { LK002 = 'error' } } })

  -- A leaky file: LK002 on line 9 (0-based 8), with the severity set above.
  vim.cmd('edit ' .. env.LEAKLS_WS .. '/leaky.js')
  vim.bo.filetype = 'javascript'
  local buf = vim.api.nvim_get_current_buf()
  local client
  wait('the client to initialize', function()
    client = leakls.client(buf)
    return client ~= nil and client.initialized
  end)
  if leakls.attach(buf) ~= client.id then
    error('attaching the buffer again started another client')
  end
  step('client ' .. client.name .. ' attached, root ' .. client.config.root_dir)
  wait('an LK002 diagnostic', function()
    return #diags(buf, 'LK002') > 0
  end)
  local d = diags(buf, 'LK002')[1]
  if d.lnum ~= 8 then
    error('LK002 on line ' .. d.lnum .. ', want 8')
  end
  if d.severity ~= vim.diagnostic.severity.ERROR then
    error('LK002 severity ' .. d.severity .. ', want error (settings.rules)')
  end
  step('LK002 on line 9: ' .. d.message)

  -- Hover on the flagged range.
  vim.api.nvim_win_set_cursor(0, { d.lnum + 1, d.col })
  local hover = request(buf, 'textDocument/hover', vim.lsp.util.make_position_params(0, client.offset_encoding))
  local text = hover and hover.contents and (hover.contents.value or hover.contents) or ''
  if type(text) ~= 'string' or not text:find('listener') then
    error('hover on LK002: ' .. vim.inspect(hover))
  end
  step('hover: ' .. text:gsub('\n.*', ''))

  -- The code action "Use once()…", applied as Neovim applies it.
  local params = vim.lsp.util.make_range_params(0, client.offset_encoding)
  params.context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(buf, d.lnum) }
  local actions = request(buf, 'textDocument/codeAction', params)
  local once
  for _, a in ipairs(actions or {}) do
    if a.title:find('once%(%)') then
      once = a
    end
  end
  if once == nil or once.edit == nil then
    error('no once() code action with an edit in ' .. vim.inspect(actions))
  end
  vim.lsp.util.apply_workspace_edit(once.edit, client.offset_encoding)
  local line = vim.api.nvim_buf_get_lines(buf, 8, 9, false)[1]
  if not line:find("bus.once%('tick'") then
    error('line 9 after the fix: ' .. line)
  end
  step('applied "' .. once.title .. '"')
  wait('the LK002 diagnostic to go', function()
    return #diags(buf, 'LK002') == 0
  end)
  step('LK002 gone after the fix')

  -- Snapshot evidence: real node writes baseline/target/final into the
  -- workspace; the server finds them and publishes LK101 on the holder.
  local job = vim.fn.jobstart({ env.LEAKLS_NODE, 'server.js' }, { cwd = env.LEAKLS_WS })
  if vim.fn.jobwait({ job }, 60000)[1] ~= 0 then
    error('node server.js failed')
  end
  step('node wrote the snapshots')
  vim.cmd('edit ' .. env.LEAKLS_WS .. '/server.js')
  vim.bo.filetype = 'javascript'
  local sbuf = vim.api.nvim_get_current_buf()
  if leakls.client(sbuf).id ~= client.id then
    error('a second client was started for the same root')
  end
  wait('the LK101 evidence', function()
    return #diags(sbuf, 'LK101') > 0
  end, 60000)
  local e = diags(sbuf, 'LK101')[1]
  if e.lnum ~= 9 then
    error('LK101 on line ' .. e.lnum .. ', want 9 (sessions.set)')
  end
  step('LK101 on line 10: ' .. e.message:gsub('\n.*', ''))

  -- Go to definition from the end of the flagged range lands on the holder,
  -- the declaration of sessions (the first related location).
  local holder = e.user_data.lsp.relatedInformation[1].location.range.start
  vim.api.nvim_win_set_cursor(0, { e.lnum + 1, math.max(e.end_col - 1, 0) })
  vim.lsp.buf.definition()
  -- With several locations (the holder, then the hops) Neovim jumps to the
  -- first and opens them in the quickfix window, which takes the focus.
  wait('go-to-definition to land on the holder', function()
    local win = vim.fn.bufwinid(sbuf)
    local pos = win ~= -1 and vim.api.nvim_win_get_cursor(win) or {}
    return pos[1] == holder.line + 1 and pos[2] == holder.character
  end)
  step('definition landed on line 7')
  vim.cmd('cclose')

  -- :LeaklsRetainers lists the holder, then each hop of the retainer path
  -- that has a source position (the diagnostic's related information).
  vim.cmd('LeaklsRetainers')
  local qf = vim.fn.getqflist()
  local related = e.user_data.lsp.relatedInformation or {}
  if #qf ~= 1 + #related or qf[1].lnum ~= 10 or vim.fn.bufname(qf[1].bufnr) ~= vim.fn.bufname(sbuf) then
    error(':LeaklsRetainers: ' .. vim.inspect(qf) .. ' for related ' .. vim.inspect(related))
  end
  for i, r in ipairs(related) do
    local want = r.location.range.start
    if qf[i + 1].lnum ~= want.line + 1 or qf[i + 1].col ~= want.character + 1 or qf[i + 1].text ~= r.message then
      error(':LeaklsRetainers entry ' .. (i + 1) .. ': ' .. vim.inspect(qf[i + 1]) .. ', want ' .. vim.inspect(r))
    end
  end
  step(':LeaklsRetainers listed ' .. #qf .. ' entries')
  vim.cmd('cclose')
  vim.cmd('buffer ' .. sbuf)

  -- reanalyze clears the evidence with :LeaklsClear, then runs :LeaklsAnalyze
  -- with files and waits for what it publishes.
  local function reanalyze(files, what)
    vim.cmd('LeaklsClear')
    wait('the evidence to be cleared', function()
      return #diags(sbuf, 'LK101') == 0
    end)
    vim.cmd('LeaklsAnalyze ' .. files)
    wait(':LeaklsAnalyze ' .. what, function()
      return #diags(sbuf, 'LK101') > 0
    end, 60000)
  end

  -- :LeaklsClear removes the evidence; :LeaklsAnalyze with the files brings it back.
  reanalyze('baseline.heapsnapshot target.heapsnapshot final.heapsnapshot', 'to publish the evidence')
  step(':LeaklsClear and :LeaklsAnalyze')

  -- :LeaklsAnalyze with one snapshot shows its biggest holder as information.
  reanalyze('final.heapsnapshot', 'of one snapshot to publish the holder')
  local single = diags(sbuf, 'LK101')[1]
  if single.lnum ~= 9 or single.severity ~= vim.diagnostic.severity.INFO or not single.message:find('%% of the .* heap') then
    error('single snapshot: ' .. vim.inspect(single))
  end
  step(':LeaklsAnalyze of one snapshot: ' .. single.message:gsub('\n.*', ''))

  -- An allocation profile written into the workspace shows as a code lens
  -- on the allocating function (buildTable in table.js).
  local prof = vim.fn.jobstart({ env.LEAKLS_NODE, '--heap-prof', '--heap-prof-interval=1024', 'alloc.js' }, { cwd = env.LEAKLS_WS })
  if vim.fn.jobwait({ prof }, 60000)[1] ~= 0 then
    error('node --heap-prof alloc.js failed')
  end
  vim.cmd('edit ' .. env.LEAKLS_WS .. '/table.js')
  vim.bo.filetype = 'javascript'
  local abuf = vim.api.nvim_get_current_buf()
  local lens, polls = nil, 0
  wait('the allocation code lens', function()
    polls = polls + 1
    if polls % 10 == 1 then -- ask again every 200 ms until the profile is read
      vim.lsp.codelens.refresh()
    end
    for _, l in ipairs(vim.lsp.codelens.get(abuf) or {}) do
      if l.command and l.command.title:find('buildTable allocated', 1, true) then
        lens = l
        return true
      end
    end
    return false
  end, 60000)
  if lens.range.start.line ~= 4 then
    error('code lens on line ' .. lens.range.start.line .. ', want 4 (function buildTable): ' .. vim.inspect(lens))
  end
  step('code lens: ' .. lens.command.title)

  -- :LeaklsCapture {inspector} captures a program running with node
  -- --inspect: the server takes baseline, target and final (10 s apart)
  -- into .leakls/snapshots/ of the workspace.
  local caps = client.server_capabilities.executeCommandProvider
  if not vim.tbl_contains(caps and caps.commands or {}, 'leakls.captureSnapshots') then
    error('the server does not offer leakls.captureSnapshots although a workspace folder is open')
  end
  -- A capture the server refuses: its error is shown once, naming the
  -- command once.
  local refused
  local notify = vim.notify
  vim.notify = function(msg)
    refused = msg
  end
  vim.cmd('LeaklsCapture {}')
  wait(':LeaklsCapture {} to be refused', function()
    return refused ~= nil
  end)
  vim.notify = notify
  local _, named = refused:gsub('leakls%.captureSnapshots', '')
  if not refused:match('^leakls: leakls%.captureSnapshots: ') or named ~= 1 then
    error(':LeaklsCapture {} said ' .. refused .. ', want the server error naming the command once')
  end
  step(':LeaklsCapture refused: ' .. refused)

  local inspector
  local prog = vim.fn.jobstart({ env.LEAKLS_NODE, '--inspect=127.0.0.1:0', '-e', 'setInterval(() => {}, 1000)' }, {
    on_stderr = function(_, lines)
      for _, l in ipairs(lines) do
        inspector = inspector or l:match('ws://%S+')
      end
    end,
  })
  wait('node --inspect to print its inspector', function()
    return inspector ~= nil
  end)
  local said
  vim.notify = function(msg)
    said = msg
  end
  vim.cmd('LeaklsCapture ' .. inspector)
  wait(':LeaklsCapture to end', function()
    return said ~= nil
  end, 90000)
  vim.notify = notify
  vim.fn.jobstop(prog)
  if said ~= 'leakls: snapshots captured' then
    error(':LeaklsCapture said ' .. said)
  end
  local written = vim.fn.glob(env.LEAKLS_WS .. '/.leakls/snapshots/*/*', true, true)
  if #written ~= 3 then
    error(':LeaklsCapture wrote ' .. vim.inspect(written) .. ', want baseline, target and final')
  end
  step(':LeaklsCapture: ' .. said .. ', ' .. #written .. ' snapshots written')

  -- Stop: the client sends shutdown and exit. The test checks, once Neovim
  -- has quit, that the server process (its pid is logged) is gone.
  log:write('pid ' .. client.rpc.pid .. '\n')
  vim.lsp.stop_client(client.id)
  step('client stop requested')
end

-- Relative paths in :LeaklsAnalyze are resolved from the working directory.
vim.cmd('cd ' .. vim.fn.fnameescape(env.LEAKLS_WS))
local ok, err = xpcall(main, debug.traceback)
if not ok then
  log:write('FAIL ' .. tostring(err) .. '\n')
  log:close()
  vim.cmd('cquit 1')
end
log:write('PASS\n')
log:close()
vim.cmd('qall!')
