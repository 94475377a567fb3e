<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
    <context>
        <name>AttachmentsPane</name>
        <message>
            <source>PDF 文档</source>
            <translation>PDF document</translation>
        </message>
        <message>
            <source>第 %1/%2 页</source>
            <translation>Page %1/%2</translation>
        </message>
        <message>
            <source>对比：</source>
            <translation>Compare:</translation>
        </message>
        <message>
            <source>对比时右侧显示的附件（Shift+C 切换）</source>
            <translation>Attachment shown on the right when comparing (Shift+C to change)</translation>
        </message>
        <message>
            <source>（结论：%1）</source>
            <translation>(verdict: %1)</translation>
        </message>
        <message>
            <source>没有附件</source>
            <translation>No attachments</translation>
        </message>
        <message>
            <source>显示时出错</source>
            <translation>Could not display</translation>
        </message>
        <message>
            <source>清晰</source>
            <translation>clear</translation>
        </message>
        <message>
            <source>不清晰</source>
            <translation>unclear</translation>
        </message>
        <message>
            <source>材料不符</source>
            <translation>wrong document</translation>
        </message>
        <message>
            <source>存疑</source>
            <translation>doubtful</translation>
        </message>
    </context>
    <context>
        <name>AuditDialog</name>
        <message>
            <source>裁决冲突</source>
            <translation>Conflict resolved</translation>
        </message>
        <message>
            <source>登录</source>
            <translation>Login</translation>
        </message>
        <message>
            <source>登录失败</source>
            <translation>Login failed</translation>
        </message>
        <message>
            <source>账户锁定中登录</source>
            <translation>Login while locked</translation>
        </message>
        <message>
            <source>新增用户</source>
            <translation>User added</translation>
        </message>
        <message>
            <source>修改密码</source>
            <translation>Password changed</translation>
        </message>
        <message>
            <source>停用用户</source>
            <translation>User disabled</translation>
        </message>
        <message>
            <source>生成区县密钥</source>
            <translation>District key created</translation>
        </message>
        <message>
            <source>更换区县密钥</source>
            <translation>District key rotated</translation>
        </message>
        <message>
            <source>吊销区县密钥</source>
            <translation>District key revoked</translation>
        </message>
        <message>
            <source>发布政策</source>
            <translation>Policy published</translation>
        </message>
        <message>
            <source>转派案件</source>
            <translation>Reassign case</translation>
        </message>
        <message>
            <source>暂停账号</source>
            <translation>Pause account</translation>
        </message>
        <message>
            <source>恢复账号</source>
            <translation>Resume account</translation>
        </message>
        <message>
            <source>抽查抽取</source>
            <translation>QA draw</translation>
        </message>
        <message>
            <source>抽查复查</source>
            <translation>QA verdict</translation>
        </message>
        <message>
            <source>处理抽查分歧</source>
            <translation>Settle QA disagreement</translation>
        </message>
        <message>
            <source>导出结论</source>
            <translation>Export decisions</translation>
        </message>
        <message>
            <source>导出结论（完整身份证号）</source>
            <translation>Export decisions (full ID numbers)</translation>
        </message>
        <message>
            <source>领取至 {until}</source>
            <translation>claimed until {until}</translation>
        </message>
        <message>
            <source>续期至 {until}</source>
            <translation>renewed until {until}</translation>
        </message>
        <message>
            <source>接管（原领取人 {holder}），原因：{reason}</source>
            <translation>taken over (held by {holder}), reason: {reason}</translation>
        </message>
        <message>
            <source>转派给 {to}（原领取人 {holder}），原因：{reason}</source>
            <translation>given to {to} (held by {holder}), reason: {reason}</translation>
        </message>
        <message>
            <source>释放（原领取人 {holder}），原因：{reason}</source>
            <translation>released (held by {holder}), reason: {reason}</translation>
        </message>
        <message>
            <source>（{state}）</source>
            <translation> ({state})</translation>
        </message>
        <message>
            <source>；理由 {codes}</source>
            <translation>; reasons {codes}</translation>
        </message>
        <message>
            <source>；缺少 {codes}</source>
            <translation>; missing {codes}</translation>
        </message>
        <message>
            <source>；忽略 {count} 项错误发现</source>
            <translation>; {count} error findings overridden</translation>
        </message>
        <message>
            <source>复核确认</source>
            <translation>confirmed</translation>
        </message>
        <message>
            <source>复核驳回</source>
            <translation>sent back by the supervisor</translation>
        </message>
        <message>
            <source>：{comment}</source>
            <translation>: {comment}</translation>
        </message>
        <message>
            <source>撤销决定</source>
            <translation>decision undone</translation>
        </message>
        <message>
            <source>裁决为{outcome}</source>
            <translation>resolved as {outcome}</translation>
        </message>
        <message>
            <source>导入第 {round} 轮材料，附件 {count} 个</source>
            <translation>round {round} imported, {count} attachments</translation>
        </message>
        <message>
            <source>通知书 {serial}，第 {copy} 份</source>
            <translation>notice {serial}, copy {copy}</translation>
        </message>
        <message>
            <source>（补打：{reason}）</source>
            <translation> (reprint: {reason})</translation>
        </message>
        <message>
            <source>账号 {username}</source>
            <translation>account {username}</translation>
        </message>
        <message>
            <source>：{reason}</source>
            <translation>: {reason}</translation>
        </message>
        <message>
            <source>；锁定至 {until}</source>
            <translation>; locked until {until}</translation>
        </message>
        <message>
            <source>{username}（{name}，{role}）</source>
            <translation>{username} ({name}, {role})</translation>
        </message>
        <message>
            <source>，区县 {districts}</source>
            <translation>, districts {districts}</translation>
        </message>
        <message>
            <source>区县 {district} 第 {key} 号密钥</source>
            <translation>district {district}, key {key}</translation>
        </message>
        <message>
            <source>写入 {written} 项，删除 {removed} 项</source>
            <translation>{written} written, {removed} removed</translation>
        </message>
        <message>
            <source>账号 {username}，原因：{reason}</source>
            <translation>account {username}, reason: {reason}</translation>
        </message>
        <message>
            <source>区县 {district}：考虑 {considered} 件，抽取 {drawn} 件</source>
            <translation>district {district}: {considered} considered, {drawn} drawn</translation>
        </message>
        <message>
            <source>，{count} 件无人可复查</source>
            <translation>, {count} with nobody to check them</translation>
        </message>
        <message>
            <source>同意</source>
            <translation>agreed</translation>
        </message>
        <message>
            <source>不同意：{comment}</source>
            <translation>disagreed: {comment}</translation>
        </message>
        <message>
            <source>维持原通过决定</source>
            <translation>approval upheld</translation>
        </message>
        <message>
            <source>改判为{outcome}</source>
            <translation>overturned as {outcome}</translation>
        </message>
        <message>
            <source>{start} 至 {end}，{rows} 行，{file}</source>
            <translation>{start} to {end}, {rows} rows, {file}</translation>
        </message>
        <message>
            <source>（内容无法读取）</source>
            <translation>(content unreadable)</translation>
        </message>
        <message>
            <source>用户不存在</source>
            <translation>no such user</translation>
        </message>
        <message>
            <source>密码错误</source>
            <translation>wrong password</translation>
        </message>
        <message>
            <source>账户已停用</source>
            <translation>account disabled</translation>
        </message>
        <message>
            <source>本机没有离线登录凭据</source>
            <translation>no offline login proof on this computer</translation>
        </message>
        <message>
            <source>案件编号</source>
            <translation>Case number</translation>
        </message>
        <message>
            <source>人员</source>
            <translation>Person</translation>
        </message>
        <message>
            <source>操作</source>
            <translation>Action</translation>
        </message>
        <message>
            <source>序号</source>
            <translation>No.</translation>
        </message>
        <message>
            <source>时间</source>
            <translation>Time</translation>
        </message>
        <message>
            <source>工作站</source>
            <translation>Workstation</translation>
        </message>
        <message>
            <source>摘要</source>
            <translation>Summary</translation>
        </message>
        <message>
            <source>审计日志</source>
            <translation>Audit log</translation>
        </message>
        <message>
            <source>账号或姓名</source>
            <translation>Username or name</translation>
        </message>
        <message>
            <source>全部操作</source>
            <translation>All actions</translation>
        </message>
        <message>
            <source>查询</source>
            <translation>Search</translation>
        </message>
        <message>
            <source>清除</source>
            <translation>Clear</translation>
        </message>
        <message>
            <source>从</source>
            <translation>From</translation>
        </message>
        <message>
            <source>到</source>
            <translation>To</translation>
        </message>
        <message>
            <source>选中一条，这里显示它记录的全部内容</source>
            <translation>Select an entry to see everything it recorded</translation>
        </message>
        <message>
            <source>校验</source>
            <translation>Verify</translation>
        </message>
        <message>
            <source>从第一条起核对整条日志链（哈希、衔接、密钥标记）</source>
            <translation>Check the whole chain from the first entry (hashes, links, key marks)</translation>
        </message>
        <message>
            <source>跳到该条</source>
            <translation>Go to entry</translation>
        </message>
        <message>
            <source>从被改动的那一条起列出日志</source>
            <translation>List the journal from the altered entry on</translation>
        </message>
        <message>
            <source>导出 CSV…</source>
            <translation>Export CSV…</translation>
        </message>
        <message>
            <source>把符合筛选条件的全部条目（不只是已列出的）存为 CSV</source>
            <translation>Save every entry matching the filters (not only those listed) as CSV</translation>
        </message>
        <message>
            <source>不限</source>
            <translation>Any</translation>
        </message>
        <message>
            <source>操作列表读取失败</source>
            <translation>Could not read the list of actions</translation>
        </message>
        <message>
            <source>正在读取…</source>
            <translation>Reading…</translation>
        </message>
        <message>
            <source>没有符合条件的条目。</source>
            <translation>No entries match.</translation>
        </message>
        <message>
            <source>共 %1 条。</source>
            <translation>%1 entries.</translation>
        </message>
        <message>
            <source>已列出 %1 条，向下滚动读取更多。</source>
            <translation>%1 entries listed; scroll down for more.</translation>
        </message>
        <message>
            <source>从第 %1 条起列出（更新的条目未列出，按 查询 回到最新）。</source>
            <translation>Listed from entry %1 (newer entries not shown; press Search to return to the latest).</translation>
        </message>
        <message>
            <source>日志读取失败</source>
            <translation>Could not read the journal</translation>
        </message>
        <message>
            <source>%1：发生内部错误，已记录日志。</source>
            <translation>%1: an internal error occurred and was logged.</translation>
        </message>
        <message>
            <source>%1：%2</source>
            <translation>%1: %2</translation>
        </message>
        <message>
            <source>第 %1 条　%2</source>
            <translation>Entry %1  %2</translation>
        </message>
        <message>
            <source>人员：%1</source>
            <translation>Person: %1</translation>
        </message>
        <message>
            <source>工作站：%1</source>
            <translation>Workstation: %1</translation>
        </message>
        <message>
            <source>操作：%1（%2）</source>
            <translation>Action: %1 (%2)</translation>
        </message>
        <message>
            <source>案件：%1</source>
            <translation>Case: %1</translation>
        </message>
        <message>
            <source>摘要：%1</source>
            <translation>Summary: %1</translation>
        </message>
        <message>
            <source>校验：日志链从这一条起不再完整</source>
            <translation>Verification: the chain is broken from this entry on</translation>
        </message>
        <message>
            <source>正在校验日志链…</source>
            <translation>Verifying the chain…</translation>
        </message>
        <message>
            <source>链完整：已校验 %1 条</source>
            <translation>Chain intact: %1 entries verified</translation>
        </message>
        <message>
            <source>（其中 %1 条写于启用密钥之前，只由哈希链担保）</source>
            <translation>(%1 of them written before keys were in use, vouched for by the hash chain only)</translation>
        </message>
        <message>
            <source>校验未通过：%1</source>
            <translation>Verification failed: %1</translation>
        </message>
        <message>
            <source>第 %1 条起被改动：%2</source>
            <translation>Altered from entry %1: %2</translation>
        </message>
        <message>
            <source>发生内部错误，已记录日志。</source>
            <translation>An internal error occurred and was logged.</translation>
        </message>
        <message>
            <source>未能校验：%1</source>
            <translation>Could not verify: %1</translation>
        </message>
        <message>
            <source>第 %1 条不在您可查看的范围内（它属于您负责区县以外的案件或人员）。</source>
            <translation>Entry %1 is outside what you may see (it concerns a case or person outside your districts).</translation>
        </message>
        <message>
            <source>导出审计日志</source>
            <translation>Export the audit log</translation>
        </message>
        <message>
            <source>CSV 文件 (*.csv)</source>
            <translation>CSV files (*.csv)</translation>
        </message>
        <message>
            <source>正在导出审计日志…</source>
            <translation>Exporting the audit log…</translation>
        </message>
        <message>
            <source>取消</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <source>导出 CSV</source>
            <translation>Export CSV</translation>
        </message>
        <message>
            <source>正在取消导出…</source>
            <translation>Cancelling the export…</translation>
        </message>
        <message>
            <source>已导出 %1 条到 %2</source>
            <translation>Exported %1 entries to %2</translation>
        </message>
        <message>
            <source>已取消导出，没有留下文件。</source>
            <translation>Export cancelled; no file was left.</translation>
        </message>
        <message>
            <source>导出失败</source>
            <translation>Export failed</translation>
        </message>
        <message>
            <source>正在校验日志链… %1 / %2 条</source>
            <translation>Verifying the chain… %1 / %2 entries</translation>
        </message>
        <message>
            <source>已取消。</source>
            <translation>Cancelled.</translation>
        </message>
        <message>
            <source>筛选条件</source>
            <translation>Filters</translation>
        </message>
        <message>
            <source>起始日期晚于结束日期：请重新选择日期。</source>
            <translation>The start date is after the end date: choose the dates again.</translation>
        </message>
        <message>
            <source>审计日志仅供主管和管理员查看。</source>
            <translation>The audit log is for supervisors and admins only.</translation>
        </message>
        <message>
            <source>操作被拒绝：%1</source>
            <translation>Refused: %1</translation>
        </message>
        <message>
            <source>%1 含有空字符（NUL），请重新输入。</source>
            <translation>%1 contains a NUL character: type it again.</translation>
        </message>
        <message>
            <source>无法写入该位置：%1</source>
            <translation>Cannot write there: %1</translation>
        </message>
        <message>
            <source>、</source>
            <translation>, </translation>
        </message>
        <message>
            <source>%1 太长（%2 个字符）：请输入案件编号、账号或姓名，最多 %3 个字符。</source>
            <translation>%1 is too long (%2 characters): enter a case number, username or name, at most %3 characters.</translation>
        </message>
    </context>
    <context>
        <name>BarChart</name>
        <message>
            <source>其他 %1 项</source>
            <translation>%1 more</translation>
        </message>
    </context>
    <context>
        <name>BatchPrintDialog</name>
        <message>
            <source>批量打印通知单</source>
            <translation>Batch print notices</translation>
        </message>
        <message>
            <source>全部学校</source>
            <translation>All schools</translation>
        </message>
        <message>
            <source>全部类别</source>
            <translation>All kinds</translation>
        </message>
        <message>
            <source>全部结论</source>
            <translation>All outcomes</translation>
        </message>
        <message>
            <source>留空：已打印过的案件跳过</source>
            <translation>Leave empty: cases already printed are skipped</translation>
        </message>
        <message>
            <source>审核日期</source>
            <translation>Review date</translation>
        </message>
        <message>
            <source>学校</source>
            <translation>School</translation>
        </message>
        <message>
            <source>材料类别</source>
            <translation>Material kind</translation>
        </message>
        <message>
            <source>审核结论</source>
            <translation>Outcome</translation>
        </message>
        <message>
            <source>补打原因</source>
            <translation>Reason for reprint</translation>
        </message>
        <message>
            <source>生成预览后，在预览中打印或另存为 PDF 时才登记通知单编号。</source>
            <translation>After the preview is made, the notice numbers are registered only when you print or save as PDF from it.</translation>
        </message>
        <message>
            <source>生成预览</source>
            <translation>Make the preview</translation>
        </message>
        <message>
            <source>已生成 {0} 份通知单的预览（编号 {1}），打印或另存为 PDF 时登记</source>
            <translation>Preview of {0} notices made (numbers {1}); they are registered when printed or saved as PDF</translation>
        </message>
        <message>
            <source>已取消：没有登记任何通知单。</source>
            <translation>Cancelled: no notice was registered.</translation>
        </message>
        <message>
            <source>取消</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <source>正在生成通知单…</source>
            <translation>Generating notices…</translation>
        </message>
        <message>
            <source>停止</source>
            <translation>Stop</translation>
        </message>
        <message>
            <source>正在停止…</source>
            <translation>Stopping…</translation>
        </message>
        <message>
            <source>关闭</source>
            <translation>Close</translation>
        </message>
        <message>
            <source>；{0} 个已打印过的案件已跳过</source>
            <translation>; {0} cases already printed were skipped</translation>
        </message>
        <message>
            <source>批量打印预览（{0} 份）</source>
            <translation>Batch print preview ({0} notices)</translation>
        </message>
        <message>
            <source>内部错误：{0}</source>
            <translation>Internal error: {0}</translation>
        </message>
        <message>
            <source>通过</source>
            <translation>Approved</translation>
        </message>
        <message>
            <source>不通过</source>
            <translation>Rejected</translation>
        </message>
        <message>
            <source>退回补充</source>
            <translation>Returned for documents</translation>
        </message>
    </context>
    <context>
        <name>CheckoutDialog</name>
        <message>
            <source>现场审核签出</source>
            <translation>On-site checkout</translation>
        </message>
        <message>
            <source>签出后，该学校待审核的案件在签出时限内归您审核，附件图片会下载到本机，到现场后即使没有网络也能审核。回到网络后结论会自动上传。</source>
            <translation>Checking out gives you the school's pending cases for the lease period and downloads their images to this computer, so you can review them on site even without a network. Your decisions are uploaded automatically once you are back online.</translation>
        </message>
        <message>
            <source>正在读取学校…</source>
            <translation>Loading schools…</translation>
        </message>
        <message>
            <source> 小时</source>
            <translation> hours</translation>
        </message>
        <message>
            <source>学校：</source>
            <translation>School:</translation>
        </message>
        <message>
            <source>签出时限：</source>
            <translation>Lease:</translation>
        </message>
        <message>
            <source>开始签出</source>
            <translation>Check out</translation>
        </message>
        <message>
            <source>取消</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <source>您负责的辖区内没有学校。</source>
            <translation>There are no schools in your districts.</translation>
        </message>
        <message>
            <source>无法读取学校：%1</source>
            <translation>Could not load the schools: %1</translation>
        </message>
        <message>
            <source>正在同步并签出 %1…</source>
            <translation>Syncing and checking out %1…</translation>
        </message>
        <message>
            <source>关闭</source>
            <translation>Close</translation>
        </message>
        <message>
            <source>已签出 %1 个案件，%2 个已被他人领取</source>
            <translation>Checked out %1 cases; %2 already claimed by others</translation>
        </message>
        <message>
            <source>无法签出：%1</source>
            <translation>Cannot check out: %1</translation>
        </message>
        <message>
            <source>无法签出：中心库无法连接（%1）。请连接网络后重试。</source>
            <translation>Cannot check out: the central store cannot be reached (%1). Connect to the network and try again.</translation>
        </message>
        <message>
            <source>无法签出：发生内部错误，已记录日志。</source>
            <translation>Cannot check out: an internal error occurred and was logged.</translation>
        </message>
    </context>
    <context>
        <name>CompareView</name>
        <message>
            <source>联动缩放</source>
            <translation>Linked zoom</translation>
        </message>
        <message>
            <source>开启后，两侧一起放大、缩小和移动</source>
            <translation>When on, both sides zoom and move together</translation>
        </message>
    </context>
    <context>
        <name>ConflictsDialog</name>
        <message>
            <source>通过</source>
            <translation>Approve</translation>
        </message>
        <message>
            <source>不通过</source>
            <translation>Reject</translation>
        </message>
        <message>
            <source>退回补充</source>
            <translation>Return for documents</translation>
        </message>
        <message>
            <source>冲突（未生效）</source>
            <translation>Conflict (not in effect)</translation>
        </message>
        <message>
            <source>已生效</source>
            <translation>In effect</translation>
        </message>
        <message>
            <source>待复核</source>
            <translation>Awaiting confirmation</translation>
        </message>
        <message>
            <source>已复核</source>
            <translation>Confirmed</translation>
        </message>
        <message>
            <source>已被取代</source>
            <translation>Superseded</translation>
        </message>
        <message>
            <source>已撤销</source>
            <translation>Undone</translation>
        </message>
        <message>
            <source>冲突</source>
            <translation>Conflicts</translation>
        </message>
        <message>
            <source>离线审核的结论到达中心库时，该案件已由他人审核。两份结论都已保留，以下“现行结论”目前有效；裁决会以新的结论取代二者。</source>
            <translation>A decision made offline reached the central store after someone else had decided the case. Both decisions are kept; the "standing decision" below is in effect. A ruling replaces both with a new decision.</translation>
        </message>
        <message>
            <source>没有未解决的冲突</source>
            <translation>No unresolved conflicts</translation>
        </message>
        <message>
            <source>未解决的冲突</source>
            <translation>Unresolved conflicts</translation>
        </message>
        <message>
            <source>冲突的结论（未生效）</source>
            <translation>Conflicting decision (not in effect)</translation>
        </message>
        <message>
            <source>现行结论</source>
            <translation>Standing decision</translation>
        </message>
        <message>
            <source>需由复核员（主管）裁决</source>
            <translation>Must be ruled on by a supervisor</translation>
        </message>
        <message>
            <source>刷新</source>
            <translation>Refresh</translation>
        </message>
        <message>
            <source>裁决</source>
            <translation>Rule</translation>
        </message>
        <message>
            <source>不通过理由：</source>
            <translation>Rejection reasons:</translation>
        </message>
        <message>
            <source>缺少的材料：</source>
            <translation>Missing documents:</translation>
        </message>
        <message>
            <source>裁决说明（选择“其他”理由时必填）</source>
            <translation>Comment on the ruling (required with the reason "Other")</translation>
        </message>
        <message>
            <source>正在读取冲突…</source>
            <translation>Loading conflicts…</translation>
        </message>
        <message>
            <source>无法读取冲突：%1</source>
            <translation>Could not load the conflicts: %1</translation>
        </message>
        <message>
            <source>未选择冲突</source>
            <translation>No conflict selected</translation>
        </message>
        <message>
            <source>案件 %1</source>
            <translation>Case %1</translation>
        </message>
        <message>
            <source>请选择裁决结论</source>
            <translation>Choose the outcome of the ruling</translation>
        </message>
        <message>
            <source>不通过须至少选择一项理由</source>
            <translation>A rejection needs at least one reason</translation>
        </message>
        <message>
            <source>退回补充须至少勾选一项缺少的材料</source>
            <translation>A return needs at least one missing document</translation>
        </message>
        <message>
            <source>所选理由须填写说明</source>
            <translation>The chosen reason needs a comment</translation>
        </message>
        <message>
            <source>裁决后，新的结论取代两份原结论</source>
            <translation>The ruling replaces both decisions with a new one</translation>
        </message>
        <message>
            <source>正在裁决 %1…</source>
            <translation>Ruling on %1…</translation>
        </message>
        <message>
            <source>%1 已裁决。</source>
            <translation>%1 has been ruled on.</translation>
        </message>
        <message>
            <source>无法裁决：%1</source>
            <translation>Cannot rule: %1</translation>
        </message>
        <message>
            <source>无法裁决：发生内部错误，已记录日志。</source>
            <translation>Cannot rule: an internal error occurred and was logged.</translation>
        </message>
    </context>
    <context>
        <name>CrashHandler</name>
        <message>
            <source>程序内部出现了错误。您可以继续工作。</source>
            <translation>An internal error occurred. You can keep working.</translation>
        </message>
        <message>
            <source>详细信息已记录在：
%1
如果问题反复出现，请把这个文件发给管理员。</source>
            <translation>The details were written to:
%1
If this keeps happening, send that file to your administrator.</translation>
        </message>
        <message>
            <source>日志无法写入磁盘，详细信息已输出到控制台。</source>
            <translation>The log could not be written to disk; the details went to the console.</translation>
        </message>
        <message>
            <source>内部错误</source>
            <translation>Internal error</translation>
        </message>
    </context>
    <context>
        <name>DecisionSideView</name>
        <message>
            <source>结论：</source>
            <translation>Outcome:</translation>
        </message>
        <message>
            <source>理由：</source>
            <translation>Reasons:</translation>
        </message>
        <message>
            <source>审核员：</source>
            <translation>Reviewer:</translation>
        </message>
        <message>
            <source>设备时间：</source>
            <translation>Device time:</translation>
        </message>
        <message>
            <source>入库时间：</source>
            <translation>Store time:</translation>
        </message>
        <message>
            <source>领取令牌：</source>
            <translation>Claim token:</translation>
        </message>
        <message>
            <source>状态：</source>
            <translation>State:</translation>
        </message>
        <message>
            <source>（无现行结论）</source>
            <translation>(no standing decision)</translation>
        </message>
    </context>
    <context>
        <name>DeskDialog</name>
        <message>
            <source>通过</source>
            <translation>Approved</translation>
        </message>
        <message>
            <source>不通过</source>
            <translation>Rejected</translation>
        </message>
        <message>
            <source>退回补充</source>
            <translation>Returned</translation>
        </message>
        <message>
            <source>督导台</source>
            <translation>Supervisor desk</translation>
        </message>
        <message>
            <source>正在读取…</source>
            <translation>Reading…</translation>
        </message>
        <message>
            <source>刷新</source>
            <translation>Refresh</translation>
        </message>
        <message>
            <source>重新统计（F5）；打开时每分钟自动刷新</source>
            <translation>Count again (F5); refreshed every minute while open</translation>
        </message>
        <message>
            <source>导出结论…</source>
            <translation>Export decisions…</translation>
        </message>
        <message>
            <source>一段时间内已审结的案件（每轮一行）存为 Excel 或 CSV，报送市平台</source>
            <translation>Save the cases decided in a period (one row per round) as Excel or CSV, for the city platform</translation>
        </message>
        <message>
            <source>导出积压…</source>
            <translation>Export backlog…</translation>
        </message>
        <message>
            <source>待办案件</source>
            <translation>Open cases</translation>
        </message>
        <message>
            <source>最久等待</source>
            <translation>Longest wait</translation>
        </message>
        <message>
            <source>距审核截止</source>
            <translation>To the review deadline</translation>
        </message>
        <message>
            <source>通过 / 不通过 / 退回</source>
            <translation>Approved / rejected / returned</translation>
        </message>
        <message>
            <source>认领到决定（中位数）</source>
            <translation>Claim to decision (median)</translation>
        </message>
        <message>
            <source>冲突 / 隔离</source>
            <translation>Conflicts / quarantined</translation>
        </message>
        <message>
            <source>区</source>
            <translation>District</translation>
        </message>
        <message>
            <source>学校</source>
            <translation>School</translation>
        </message>
        <message>
            <source>类型</source>
            <translation>Kind</translation>
        </message>
        <message>
            <source>状态</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>案件数</source>
            <translation>Cases</translation>
        </message>
        <message>
            <source>最早提交</source>
            <translation>Oldest submission</translation>
        </message>
        <message>
            <source>等待天数</source>
            <translation>Days waiting</translation>
        </message>
        <message>
            <source>审核截止</source>
            <translation>Review deadline</translation>
        </message>
        <message>
            <source>剩余天数</source>
            <translation>Days left</translation>
        </message>
        <message>
            <source>积压</source>
            <translation>Backlog</translation>
        </message>
        <message>
            <source>审核人</source>
            <translation>Reviewer</translation>
        </message>
        <message>
            <source>认领中</source>
            <translation>Holding</translation>
        </message>
        <message>
            <source>今日</source>
            <translation>Today</translation>
        </message>
        <message>
            <source>近7日</source>
            <translation>Last 7 days</translation>
        </message>
        <message>
            <source>本季合计</source>
            <translation>Season total</translation>
        </message>
        <message>
            <source>结论</source>
            <translation>Outcomes</translation>
        </message>
        <message>
            <source>最常用的理由</source>
            <translation>Most given reasons</translation>
        </message>
        <message>
            <source>理由</source>
            <translation>Reason</translation>
        </message>
        <message>
            <source>次数</source>
            <translation>Times</translation>
        </message>
        <message>
            <source>占比</source>
            <translation>Share</translation>
        </message>
        <message>
            <source>结论与理由</source>
            <translation>Outcomes and reasons</translation>
        </message>
        <message>
            <source>统计读取失败：%1。稍后自动重试，或按 刷新。</source>
            <translation>Could not read the figures: %1. They are retried shortly, or press Refresh.</translation>
        </message>
        <message>
            <source>统计截至 %1</source>
            <translation>Figures as of %1</translation>
        </message>
        <message>
            <source>%1 天</source>
            <translation>%1 days</translation>
        </message>
        <message>
            <source>未设定</source>
            <translation>Not set</translation>
        </message>
        <message>
            <source>招生政策未设定审核截止日期</source>
            <translation>The enrollment policy sets no review deadline</translation>
        </message>
        <message>
            <source>逾期 %1 天</source>
            <translation>%1 days overdue</translation>
        </message>
        <message>
            <source>共 %1 个决定</source>
            <translation>%1 decisions in all</translation>
        </message>
        <message>
            <source>待主管裁决 / 中心库拒收</source>
            <translation>awaiting a supervisor / refused by the central store</translation>
        </message>
        <message>
            <source>没有待办案件</source>
            <translation>No open cases</translation>
        </message>
        <message>
            <source>（已暂停）</source>
            <translation> (paused)</translation>
        </message>
        <message>
            <source>近两周每日决定数（全部审核人；选中一行只看此人）</source>
            <translation>Decisions per day, last two weeks (all reviewers; select a row for one person)</translation>
        </message>
        <message>
            <source>近两周每日决定数：%1</source>
            <translation>Decisions per day, last two weeks: %1</translation>
        </message>
        <message>
            <source>还没有决定</source>
            <translation>No decisions yet</translation>
        </message>
        <message>
            <source>还没有用过理由</source>
            <translation>No reasons given yet</translation>
        </message>
        <message>
            <source>通用</source>
            <translation>All kinds</translation>
        </message>
        <message>
            <source>不到 1 分钟</source>
            <translation>under 1 minute</translation>
        </message>
        <message>
            <source>今天截止（%1）</source>
            <translation>Due today (%1)</translation>
        </message>
        <message>
            <source>%1小时%2分</source>
            <translation>%1 h %2 min</translation>
        </message>
        <message>
            <source>还剩 %1 天（%2）</source>
            <translation>%1 days left (%2)</translation>
        </message>
        <message>
            <source>%1天%2小时</source>
            <translation>%1 d %2 h</translation>
        </message>
        <message>
            <source>已逾期 %1 天（%2）</source>
            <translation>%1 days overdue (%2)</translation>
        </message>
    </context>
    <context>
        <name>DeskExports</name>
        <message>
            <source>导出审核结论</source>
            <translation>Export decisions</translation>
        </message>
        <message>
            <source>正在导出审核结论…</source>
            <translation>Exporting decisions…</translation>
        </message>
        <message>
            <source>取消</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <source>正在取消导出…</source>
            <translation>Cancelling the export…</translation>
        </message>
        <message>
            <source>正在导出审核结论… %1 / %2 行</source>
            <translation>Exporting decisions… %1 / %2 rows</translation>
        </message>
        <message>
            <source>已导出 %1 行到 %2</source>
            <translation>Exported %1 rows to %2</translation>
        </message>
        <message>
            <source>已取消导出，没有留下文件。</source>
            <translation>Export cancelled; no file was left.</translation>
        </message>
        <message>
            <source>导出失败：%1</source>
            <translation>Export failed: %1</translation>
        </message>
        <message>
            <source>导出积压</source>
            <translation>Export backlog</translation>
        </message>
        <message>
            <source>已导出 %1 组积压到 %2</source>
            <translation>Exported %1 backlog groups to %2</translation>
        </message>
    </context>
    <context>
        <name>DetachedAttachmentsWindow</name>
        <message>
            <source>附件</source>
            <translation>Attachments</translation>
        </message>
        <message>
            <source>附件 — %1</source>
            <translation>Attachments — %1</translation>
        </message>
    </context>
    <context>
        <name>GuiSession</name>
        <message>
            <source>正在打开数据库…（首次运行时会生成演示数据，需要一些时间）</source>
            <translation>Opening the database… (the first run creates demo data, which takes a while)</translation>
        </message>
        <message>
            <source>审核工作台</source>
            <translation>ReviewDesk</translation>
        </message>
        <message>
            <source>正在生成演示数据：%1 / %2 个案件</source>
            <translation>Generating demo data: %1 / %2 cases</translation>
        </message>
        <message>
            <source>无法打开数据库</source>
            <translation>Cannot open the database</translation>
        </message>
        <message>
            <source>无法打开数据库：%1</source>
            <translation>Cannot open the database: %1</translation>
        </message>
        <message>
            <source>演示数据已全部导入（%1 个案件）</source>
            <translation>All demo data imported (%1 cases)</translation>
        </message>
        <message>
            <source>正在后台导入演示数据：%1 / %2 个案件，可以先开始审核</source>
            <translation>Importing demo data in the background: %1 / %2 cases; you can start reviewing now</translation>
        </message>
    </context>
    <context>
        <name>ImageLoader</name>
        <message>
            <source>附件尚未下载到本机，请稍后再试</source>
            <translation>The attachment has not been downloaded to this computer yet; try again later</translation>
        </message>
    </context>
    <context>
        <name>ImageViewer</name>
        <message>
            <source>缩小</source>
            <translation>Zoom out</translation>
        </message>
        <message>
            <source>缩小（−）</source>
            <translation>Zoom out (−)</translation>
        </message>
        <message>
            <source>放大</source>
            <translation>Zoom in</translation>
        </message>
        <message>
            <source>放大（+）</source>
            <translation>Zoom in (+)</translation>
        </message>
        <message>
            <source>适合页面</source>
            <translation>Fit page</translation>
        </message>
        <message>
            <source>整张图片显示在窗口内</source>
            <translation>Show the whole picture in the window</translation>
        </message>
        <message>
            <source>适合宽度</source>
            <translation>Fit width</translation>
        </message>
        <message>
            <source>图片宽度与窗口一致</source>
            <translation>Picture as wide as the window</translation>
        </message>
        <message>
            <source>实际大小</source>
            <translation>Actual size</translation>
        </message>
        <message>
            <source>按原图 1:1 显示</source>
            <translation>Show the original at 1:1</translation>
        </message>
        <message>
            <source>左转</source>
            <translation>Rotate left</translation>
        </message>
        <message>
            <source>向左旋转 90°（只旋转显示）</source>
            <translation>Rotate 90° left (display only)</translation>
        </message>
        <message>
            <source>右转</source>
            <translation>Rotate right</translation>
        </message>
        <message>
            <source>向右旋转 90°（只旋转显示）</source>
            <translation>Rotate 90° right (display only)</translation>
        </message>
        <message>
            <source>亮度/对比度</source>
            <translation>Brightness/contrast</translation>
        </message>
        <message>
            <source>调亮偏暗的照片，增强文字与背景的反差</source>
            <translation>Brighten a dark photo and increase the contrast between text and background</translation>
        </message>
        <message>
            <source>亮度</source>
            <translation>Brightness</translation>
        </message>
        <message>
            <source>对比度</source>
            <translation>Contrast</translation>
        </message>
        <message>
            <source>还原</source>
            <translation>Reset</translation>
        </message>
        <message>
            <source>亮度、对比度恢复原样</source>
            <translation>Restore brightness and contrast</translation>
        </message>
        <message>
            <source>退回补拍</source>
            <translation>Return for a new photo</translation>
        </message>
        <message>
            <source>请家长重新拍摄并上传此材料</source>
            <translation>Ask the parents to photograph and upload this document again</translation>
        </message>
        <message>
            <source>“%1”无法显示</source>
            <translation>“%1” cannot be displayed</translation>
        </message>
    </context>
    <context>
        <name>Labels</name>
        <message>
            <source>中文</source>
            <translation>English</translation>
        </message>
        <message>
            <source>监护关系</source>
            <translation>Guardianship</translation>
        </message>
        <message>
            <source>农房</source>
            <translation>Rural house</translation>
        </message>
        <message>
            <source>隔代亲属</source>
            <translation>Grandparents</translation>
        </message>
        <message>
            <source>幼升小</source>
            <translation>Primary school entry</translation>
        </message>
        <message>
            <source>小升初</source>
            <translation>Junior high entry</translation>
        </message>
        <message>
            <source>通过</source>
            <translation>Approve</translation>
        </message>
        <message>
            <source>不通过</source>
            <translation>Reject</translation>
        </message>
        <message>
            <source>退回补充</source>
            <translation>Return for documents</translation>
        </message>
        <message>
            <source>已生效</source>
            <translation>In effect</translation>
        </message>
        <message>
            <source>待复核</source>
            <translation>Awaiting confirmation</translation>
        </message>
        <message>
            <source>已复核确认</source>
            <translation>Confirmed</translation>
        </message>
        <message>
            <source>冲突</source>
            <translation>Conflict</translation>
        </message>
        <message>
            <source>已被取代</source>
            <translation>Superseded</translation>
        </message>
        <message>
            <source>已撤销</source>
            <translation>Undone</translation>
        </message>
        <message>
            <source>复核驳回</source>
            <translation>Refused on confirmation</translation>
        </message>
        <message>
            <source>未标记</source>
            <translation>Unmarked</translation>
        </message>
        <message>
            <source>清晰</source>
            <translation>Clear</translation>
        </message>
        <message>
            <source>不清晰</source>
            <translation>Unclear</translation>
        </message>
        <message>
            <source>材料不符</source>
            <translation>Wrong document</translation>
        </message>
        <message>
            <source>存疑</source>
            <translation>Doubtful</translation>
        </message>
        <message>
            <source>查看</source>
            <translation>Viewed</translation>
        </message>
        <message>
            <source>领取</source>
            <translation>Claimed</translation>
        </message>
        <message>
            <source>续期</source>
            <translation>Claim renewed</translation>
        </message>
        <message>
            <source>释放</source>
            <translation>Released</translation>
        </message>
        <message>
            <source>接管</source>
            <translation>Taken over</translation>
        </message>
        <message>
            <source>作出决定</source>
            <translation>Decided</translation>
        </message>
        <message>
            <source>复核</source>
            <translation>Confirmation</translation>
        </message>
        <message>
            <source>撤销</source>
            <translation>Undone</translation>
        </message>
        <message>
            <source>导入</source>
            <translation>Imported</translation>
        </message>
        <message>
            <source>打印通知书</source>
            <translation>Notice printed</translation>
        </message>
        <message>
            <source>裁决</source>
            <translation>Ruled on</translation>
        </message>
        <message>
            <source>签出</source>
            <translation>Checked out</translation>
        </message>
        <message>
            <source>审核员</source>
            <translation>reviewer</translation>
        </message>
        <message>
            <source>复核员</source>
            <translation>supervisor</translation>
        </message>
        <message>
            <source>管理员</source>
            <translation>administrator</translation>
        </message>
        <message>
            <source>本人</source>
            <translation>Self</translation>
        </message>
        <message>
            <source>学生</source>
            <translation>Student</translation>
        </message>
        <message>
            <source>父亲</source>
            <translation>Father</translation>
        </message>
        <message>
            <source>母亲</source>
            <translation>Mother</translation>
        </message>
        <message>
            <source>其他监护人</source>
            <translation>Other guardian</translation>
        </message>
        <message>
            <source>祖父</source>
            <translation>Grandfather (paternal)</translation>
        </message>
        <message>
            <source>祖母</source>
            <translation>Grandmother (paternal)</translation>
        </message>
        <message>
            <source>外祖父</source>
            <translation>Grandfather (maternal)</translation>
        </message>
        <message>
            <source>外祖母</source>
            <translation>Grandmother (maternal)</translation>
        </message>
        <message>
            <source>产权人</source>
            <translation>Owner</translation>
        </message>
        <message>
            <source>孙</source>
            <translation>Grandson (paternal)</translation>
        </message>
        <message>
            <source>外孙</source>
            <translation>Grandson (maternal)</translation>
        </message>
        <message>
            <source>不动产权证</source>
            <translation>Real estate title</translation>
        </message>
        <message>
            <source>房产证</source>
            <translation>House ownership certificate</translation>
        </message>
        <message>
            <source>土地使用证</source>
            <translation>Land use certificate</translation>
        </message>
        <message>
            <source>网签合同</source>
            <translation>Registered purchase contract</translation>
        </message>
        <message>
            <source>拆迁协议</source>
            <translation>Demolition agreement</translation>
        </message>
        <message>
            <source>住宅</source>
            <translation>Residential</translation>
        </message>
        <message>
            <source>非住宅</source>
            <translation>Non-residential</translation>
        </message>
        <message>
            <source>军房</source>
            <translation>Military housing</translation>
        </message>
        <message>
            <source>农民公寓</source>
            <translation>Farmers' apartment</translation>
        </message>
        <message>
            <source>单位房</source>
            <translation>Employer housing</translation>
        </message>
        <message>
            <source>父母房产</source>
            <translation>Parents' property</translation>
        </message>
        <message>
            <source>(外)祖父母房产</source>
            <translation>Grandparents' property</translation>
        </message>
        <message>
            <source>（外）祖父母房产</source>
            <translation>Grandparents' property</translation>
        </message>
        <message>
            <source>租赁备案</source>
            <translation>Registered rental</translation>
        </message>
        <message>
            <source>居住证</source>
            <translation>Residence permit</translation>
        </message>
        <message>
            <source>离婚证</source>
            <translation>Divorce certificate</translation>
        </message>
        <message>
            <source>离婚协议书或法院判决书/调解书（含抚养权条款）</source>
            <translation>Divorce agreement, court judgment or mediation (with the custody clause)</translation>
        </message>
        <message>
            <source>离婚协议书</source>
            <translation>Divorce agreement</translation>
        </message>
        <message>
            <source>法院判决书</source>
            <translation>Court judgment</translation>
        </message>
        <message>
            <source>民事判决书</source>
            <translation>Civil judgment</translation>
        </message>
        <message>
            <source>调解书</source>
            <translation>Mediation agreement</translation>
        </message>
        <message>
            <source>民事调解书</source>
            <translation>Civil mediation agreement</translation>
        </message>
        <message>
            <source>户口簿首页</source>
            <translation>Hukou book, front page</translation>
        </message>
        <message>
            <source>户口簿本人页</source>
            <translation>Hukou book, student's page</translation>
        </message>
        <message>
            <source>户口簿（祖父母页）</source>
            <translation>Hukou book (grandparents' page)</translation>
        </message>
        <message>
            <source>户口簿祖父母页</source>
            <translation>Hukou book, grandparents' page</translation>
        </message>
        <message>
            <source>户口簿（外祖父母页）</source>
            <translation>Hukou book (maternal grandparents' page)</translation>
        </message>
        <message>
            <source>户口簿外祖父母页</source>
            <translation>Hukou book, maternal grandparents' page</translation>
        </message>
        <message>
            <source>农房证明</source>
            <translation>Rural house certificate</translation>
        </message>
        <message>
            <source>宅基地证</source>
            <translation>Homestead certificate</translation>
        </message>
        <message>
            <source>村委会证明</source>
            <translation>Village committee certificate</translation>
        </message>
        <message>
            <source>拆迁安置协议</source>
            <translation>Demolition resettlement agreement</translation>
        </message>
        <message>
            <source>出生医学证明</source>
            <translation>Birth certificate</translation>
        </message>
        <message>
            <source>亲属关系证明</source>
            <translation>Proof of kinship</translation>
        </message>
        <message>
            <source>派出所亲属关系证明</source>
            <translation>Proof of kinship (police station)</translation>
        </message>
        <message>
            <source>村（居）委会亲属关系证明</source>
            <translation>Proof of kinship (village or residents' committee)</translation>
        </message>
        <message>
            <source>不动产权证书</source>
            <translation>Real estate title certificate</translation>
        </message>
        <message>
            <source>租赁备案证明</source>
            <translation>Rental registration certificate</translation>
        </message>
        <message>
            <source>居住证明</source>
            <translation>Proof of residence</translation>
        </message>
        <message>
            <source>材料照片不清晰</source>
            <translation>Photo of the document unclear</translation>
        </message>
        <message>
            <source>材料与填报信息不符</source>
            <translation>Document does not match the application</translation>
        </message>
        <message>
            <source>材料类型错误</source>
            <translation>Wrong kind of document</translation>
        </message>
        <message>
            <source>材料疑似涂改或伪造</source>
            <translation>Document possibly altered or forged</translation>
        </message>
        <message>
            <source>其他（见审核意见）</source>
            <translation>Other (see the comment)</translation>
        </message>
        <message>
            <source>未载明抚养权归属</source>
            <translation>Custody not stated</translation>
        </message>
        <message>
            <source>抚养权归另一方</source>
            <translation>Custody with the other parent</translation>
        </message>
        <message>
            <source>无离婚证明</source>
            <translation>No proof of divorce</translation>
        </message>
        <message>
            <source>产权人非直系亲属</source>
            <translation>Owner not a lineal relative</translation>
        </message>
        <message>
            <source>缺少农房证明</source>
            <translation>No rural house certificate</translation>
        </message>
        <message>
            <source>房产三年内已被其他家庭使用</source>
            <translation>Property used by another family within three years</translation>
        </message>
        <message>
            <source>拆迁协议超过有效期</source>
            <translation>Demolition agreement expired</translation>
        </message>
        <message>
            <source>不能证明隔代直系亲属关系</source>
            <translation>Grandparent relation not proven</translation>
        </message>
        <message>
            <source>祖辈身份信息不符</source>
            <translation>Grandparent identity does not match</translation>
        </message>
        <message>
            <source>居住证已过期</source>
            <translation>Residence permit expired</translation>
        </message>
        <message>
            <source>上传的材料照片不清晰，无法辨认关键信息，请重新拍摄清晰、完整的照片后上传。</source>
            <translation>The photo of the uploaded document is not clear enough to read the key information. Please take a clear, complete photo and upload it again.</translation>
        </message>
        <message>
            <source>上传的材料与填报信息不一致（姓名、身份证号或地址等），请核对后重新提交。</source>
            <translation>The uploaded document does not match the application (name, ID number, address or the like). Please check and submit again.</translation>
        </message>
        <message>
            <source>上传的材料不是所要求的证明文件，请按要求上传正确的材料。</source>
            <translation>The uploaded document is not the one required. Please upload the required document.</translation>
        </message>
        <message>
            <source>上传的材料存在疑点，请携带原件到区县教育部门现场审核。</source>
            <translation>The uploaded document raises doubts. Please bring the original to the district education bureau for an in-person check.</translation>
        </message>
        <message>
            <source>其他原因（见审核意见）。</source>
            <translation>Other reason (see the reviewer's comment).</translation>
        </message>
        <message>
            <source>离婚协议书或法院判决书/调解书中未明确子女抚养权归属，请提交载明抚养权的材料。</source>
            <translation>The divorce agreement or court judgment/mediation does not say who has custody of the child. Please submit a document that states custody.</translation>
        </message>
        <message>
            <source>材料显示子女抚养权归另一方监护人，请由具有抚养权的监护人登录提交。</source>
            <translation>The documents show that the other parent has custody. The parent with custody must log in and apply.</translation>
        </message>
        <message>
            <source>未能提供离婚证明材料，无法确认监护关系变更。</source>
            <translation>No proof of divorce was provided, so the change of guardianship cannot be confirmed.</translation>
        </message>
        <message>
            <source>农房产权人与学生不是直系亲属关系，该农房不能作为入学依据。</source>
            <translation>The owner of the rural house is not a lineal relative of the student; the house cannot be the basis for enrolment.</translation>
        </message>
        <message>
            <source>缺少村（居）委会出具的农房证明或宅基地证明，请补充。</source>
            <translation>The rural house or homestead certificate from the village (residents') committee is missing. Please add it.</translation>
        </message>
        <message>
            <source>该房产三年内已作为其他家庭适龄儿童少年的入学依据，不能再次使用。</source>
            <translation>This property was the basis for another family's child's enrolment within the last three years and cannot be used again.</translation>
        </message>
        <message>
            <source>拆迁安置协议已超过三年有效期，不能作为入学依据。</source>
            <translation>The demolition resettlement agreement is past its three-year validity and cannot be the basis for enrolment.</translation>
        </message>
        <message>
            <source>所提交材料不能证明（外）祖父母与学生的直系亲属关系。</source>
            <translation>The documents submitted do not prove that the grandparents are lineal relatives of the student.</translation>
        </message>
        <message>
            <source>（外）祖父母身份信息与户口簿或证明材料不一致，请核对后重新提交。</source>
            <translation>The grandparents' identity does not match the hukou book or the certificates. Please check and submit again.</translation>
        </message>
        <message>
            <source>居住证不在有效期内，请续签后重新提交。</source>
            <translation>The residence permit is not valid. Please renew it and submit again.</translation>
        </message>
        <message>
            <source>文件是空的（0 字节），上传没有成功，请重新上传</source>
            <translation>The file is empty (0 bytes): the upload failed; please upload it again</translation>
        </message>
        <message>
            <source>图片文件不完整（上传时被截断），请重新上传</source>
            <translation>The picture is incomplete (cut off during the upload); please upload it again</translation>
        </message>
        <message>
            <source>图片文件已损坏，打不开，请重新拍照上传</source>
            <translation>The picture is damaged and cannot be opened; please take a new photo and upload it</translation>
        </message>
        <message>
            <source>图片的尺寸大得异常，无法打开，请用手机正常拍照后重新上传</source>
            <translation>The picture is abnormally large and cannot be opened; please take an ordinary phone photo and upload it again</translation>
        </message>
        <message>
            <source>上传的不是照片，而是一个网页文件，请重新选择照片上传</source>
            <translation>The upload is not a photo but a web page; please choose the photo and upload it again</translation>
        </message>
        <message>
            <source>上传的不是照片，而是一个文字文件，请重新选择照片上传</source>
            <translation>The upload is not a photo but a text file; please choose the photo and upload it again</translation>
        </message>
        <message>
            <source>无法识别文件格式，请拍照后以 JPG 或 PNG 图片上传</source>
            <translation>Unknown file format; please take a photo and upload it as a JPG or PNG picture</translation>
        </message>
        <message>
            <source>上传的不是照片，而是一个数据文件，请重新选择照片上传</source>
            <translation>The upload is not a photo but a data file; please choose the photo and upload it again</translation>
        </message>
        <message>
            <source>上传的是压缩包或 Word、Excel 等办公文档，请拍照或导出为 PDF 后重新上传</source>
            <translation>The upload is an archive or an office document (Word, Excel …); please take a photo or export it as PDF and upload again</translation>
        </message>
        <message>
            <source>上传的是视频，不是照片，请拍照后重新上传</source>
            <translation>The upload is a video, not a photo; please take a photo and upload it again</translation>
        </message>
        <message>
            <source>PDF 文件设置了打开密码，无法查看，请上传没有密码的 PDF，或拍照上传</source>
            <translation>The PDF is protected by a password and cannot be viewed; please upload a PDF without a password, or a photo</translation>
        </message>
        <message>
            <source>PDF 文件不完整（上传时被截断），请重新上传</source>
            <translation>The PDF is incomplete (cut off during the upload); please upload it again</translation>
        </message>
        <message>
            <source>PDF 文件已损坏，打不开，请重新上传，或拍照上传</source>
            <translation>The PDF is damaged and cannot be opened; please upload it again, or upload a photo</translation>
        </message>
        <message>
            <source>PDF 文件里没有任何页面，请重新上传</source>
            <translation>The PDF has no pages; please upload it again</translation>
        </message>
        <message>
            <source>不是 PDF 文件</source>
            <translation>Not a PDF file</translation>
        </message>
        <message>
            <source>文件为空</source>
            <translation>The file is empty</translation>
        </message>
        <message>
            <source>图片文件不完整（截断）</source>
            <translation>The picture file is incomplete (truncated)</translation>
        </message>
        <message>
            <source>图片文件已损坏，无法解码</source>
            <translation>The picture file is damaged and cannot be decoded</translation>
        </message>
        <message>
            <source>图片尺寸过大（可能是解压炸弹）</source>
            <translation>The picture is too large (possibly a decompression bomb)</translation>
        </message>
        <message>
            <source>不是图片文件（内容为 HTML）</source>
            <translation>Not a picture (the content is HTML)</translation>
        </message>
        <message>
            <source>不是图片文件（内容为文本）</source>
            <translation>Not a picture (the content is text)</translation>
        </message>
        <message>
            <source>不是图片文件（无法识别的格式）</source>
            <translation>Not a picture (unknown format)</translation>
        </message>
        <message>
            <source>不是图片文件（内容为 JSON 文本）</source>
            <translation>Not a picture (the content is JSON text)</translation>
        </message>
        <message>
            <source>不是图片文件（内容为 PDF 文档）</source>
            <translation>Not a picture (the content is a PDF document)</translation>
        </message>
        <message>
            <source>不是图片文件（内容为压缩包或 Office 文档）</source>
            <translation>Not a picture (the content is an archive or an Office document)</translation>
        </message>
        <message>
            <source>不是图片文件（内容为视频）</source>
            <translation>Not a picture (the content is a video)</translation>
        </message>
        <message>
            <source>文件不存在</source>
            <translation>The file does not exist</translation>
        </message>
        <message>
            <source>没有读取该文件的权限</source>
            <translation>No permission to read the file</translation>
        </message>
        <message>
            <source>不是普通文件，无法读取</source>
            <translation>Not a regular file; cannot be read</translation>
        </message>
        <message>
            <source>无法读取文件</source>
            <translation>The file cannot be read</translation>
        </message>
        <message>
            <source>原因未知</source>
            <translation>reason unknown</translation>
        </message>
        <message>
            <source>无法识别的文件</source>
            <translation>Unreadable file</translation>
        </message>
        <message>
            <source>文件太大（%size MB，最大 %limit MB），请压缩或降低分辨率后重新上传</source>
            <translation>The file is too large (%size MB, at most %limit MB); please compress it or lower the resolution and upload it again</translation>
        </message>
        <message>
            <source>不支持 %format 格式的图片，请以 JPG 或 PNG 图片重新上传</source>
            <translation>%format pictures are not supported; please upload a JPG or PNG picture</translation>
        </message>
        <message>
            <source>PDF 共 %count 页，超过 %limit 页的上限，请只上传需要的页面</source>
            <translation>The PDF has %count pages, more than the limit of %limit; please upload only the pages needed</translation>
        </message>
        <message>
            <source>PDF 第 %page 页的尺寸异常（%width×%height 毫米），无法显示，请按 A4 等常规纸张重新上传</source>
            <translation>Page %page of the PDF has an abnormal size (%width×%height mm) and cannot be shown; please upload it again on ordinary paper such as A4</translation>
        </message>
        <message>
            <source>无法读取文件（%detail）</source>
            <translation>The file cannot be read (%detail)</translation>
        </message>
        <message>
            <source>文件过大（%size MB，上限 %limit MB）</source>
            <translation>The file is too large (%size MB, the limit is %limit MB)</translation>
        </message>
        <message>
            <source>不支持的图片格式：%format</source>
            <translation>Picture format not supported: %format</translation>
        </message>
        <message>
            <source>身份证号无效</source>
            <translation>Invalid ID number</translation>
        </message>
        <message>
            <source>身份证号中的出生日期有误</source>
            <translation>Wrong birth date in the ID number</translation>
        </message>
        <message>
            <source>身份证号的地区码不在代码表中</source>
            <translation>Region code of the ID number not in the code table</translation>
        </message>
        <message>
            <source>招生政策与案件不符</source>
            <translation>Admission policy does not fit the case</translation>
        </message>
        <message>
            <source>学生未满入学年龄</source>
            <translation>Student below the admission age</translation>
        </message>
        <message>
            <source>学生超过年龄上限</source>
            <translation>Student above the age limit</translation>
        </message>
        <message>
            <source>祖辈与学生年龄相差过小</source>
            <translation>Grandparent too close in age to the student</translation>
        </message>
        <message>
            <source>房产证明办理日期晚于截止日期</source>
            <translation>Property title issued after the cutoff date</translation>
        </message>
        <message>
            <source>租赁备案时间不足</source>
            <translation>Rental registered too briefly</translation>
        </message>
        <message>
            <source>居住证办理时间不足</source>
            <translation>Residence permit held too briefly</translation>
        </message>
        <message>
            <source>房产已被其他家庭用作入学依据</source>
            <translation>Property already used by another family</translation>
        </message>
        <message>
            <source>缺少必需材料</source>
            <translation>Required document missing</translation>
        </message>
        <message>
            <source>附件无法识别</source>
            <translation>Unreadable attachment</translation>
        </message>
        <message>
            <source>学生另有未办结案件</source>
            <translation>Student has another open case</translation>
        </message>
        <message>
            <source>错误</source>
            <translation>Error</translation>
        </message>
        <message>
            <source>警告</source>
            <translation>Warning</translation>
        </message>
        <message>
            <source>提示</source>
            <translation>Info</translation>
        </message>
        <message>
            <source>格式错误（应为17位数字加1位数字或X）</source>
            <translation>has the wrong format (17 digits and a digit or X)</translation>
        </message>
        <message>
            <source>校验码错误</source>
            <translation>has a wrong check digit</translation>
        </message>
        <message>
            <source>出生日期无效</source>
            <translation>has an invalid birth date</translation>
        </message>
        <message>
            <source>案件城市为%city，但使用的是%policy_city的招生政策（%policy）</source>
            <translation>The case is in %city, but the admission policy of %policy_city (%policy) is used</translation>
        </message>
        <message>
            <source>案件入学年度为%year年，但使用的是%policy_year年的招生政策（%policy）</source>
            <translation>The case is for the %year admission year, but the %policy_year admission policy (%policy) is used</translation>
        </message>
        <message>
            <source>招生政策 %policy 未规定%stage的年龄要求，无法核对年龄</source>
            <translation>Admission policy %policy sets no age rule for %stage: the age cannot be checked</translation>
        </message>
        <message>
            <source>%who的身份证号 %masked %problem</source>
            <translation>The ID number %masked of %who %problem</translation>
        </message>
        <message>
            <source>%who的身份证号中的出生日期 %digits 不是有效的出生日期</source>
            <translation>The birth date %digits in the ID number of %who is not a valid date</translation>
        </message>
        <message>
            <source>%who的身份证号中的出生日期%born晚于今天（%today）</source>
            <translation>The birth date %born in the ID number of %who is after today (%today)</translation>
        </message>
        <message>
            <source>%who的身份证号 %masked 的地区码 %region 不在行政区划代码表中，可能是已撤销、更名或新设的地区码，不影响号码有效性，请留意核对</source>
            <translation>The region code %region of %who's ID number %masked is not in the table of administrative divisions. It may be a region that was abolished, renamed or newly created; the number is still valid. Please check it.</translation>
        </message>
        <message>
            <source>学生出生于%born，到%ref为%age周岁，未满%stage入学年龄%min周岁，本年度不予采集</source>
            <translation>The student was born on %born and is %age on %ref, below the %stage age of %min: not admitted this year</translation>
        </message>
        <message>
            <source>学生出生于%born，到%ref为%age周岁，超过%stage年龄上限%max周岁，请核对身份证号是否填写有误</source>
            <translation>The student was born on %born and is %age on %ref, above the %stage age limit of %max: check whether the ID number was entered correctly</translation>
        </message>
        <message>
            <source>%who出生于%born，学生出生于%student_born，年龄仅相差%gap岁（少于%min岁），请核实隔代关系及身份证号</source>
            <translation>%who was born on %born and the student on %student_born: only %gap years apart (less than %min). Check the relation and the ID numbers</translation>
        </message>
        <message>
            <source>%cert（%number）办理日期为%issued，晚于截止日期%cutoff</source>
            <translation>%cert (%number) was issued on %issued, after the cutoff date %cutoff</translation>
        </message>
        <message>
            <source>租赁备案（%number）起始于%start，租期至%end已结束不满%months个月</source>
            <translation>Registered rental (%number) from %start ended on %end: less than %months months</translation>
        </message>
        <message>
            <source>租赁备案（%number）起始于%start，至截止日期%cutoff不满%months个月</source>
            <translation>Registered rental (%number) from %start: less than %months months by the cutoff date %cutoff</translation>
        </message>
        <message>
            <source>%holder的居住证（%number）办理于%start，至截止日期%cutoff不满%months个月</source>
            <translation>Residence permit of %holder (%number), issued %start: less than %months months by the cutoff date %cutoff</translation>
        </message>
        <message>
            <source>%holder的居住证（%number）有效期至%until，早于截止日期%cutoff</source>
            <translation>Residence permit of %holder (%number) is valid until %until, before the cutoff date %cutoff</translation>
        </message>
        <message>
            <source>%holder的居住证（%number）有效期至%until，早于提交日期%submitted，提交时已不在有效期内</source>
            <translation>Residence permit of %holder (%number) is valid until %until, before the submission date %submitted: it had expired when submitted</translation>
        </message>
        <message>
            <source>%holder的居住证（%number）有效期至%until，今天（%today）已过期</source>
            <translation>Residence permit of %holder (%number) is valid until %until: expired today (%today)</translation>
        </message>
        <message>
            <source>%cert（%number）已于%year年被其他家庭（案件 %case）用作入学依据，%years年内只能作为一个家庭的招生依据</source>
            <translation>%cert (%number) was used by another family (case %case) for admission in %year; a property serves one family within %years years</translation>
        </message>
        <message>
            <source>%cert（%number）：该证号在另一区县 %year 年的案件中使用，%years年内只能作为一个家庭的招生依据，请核实</source>
            <translation>%cert (%number): this certificate was used in another district's case in %year; a property serves one family within %years years. Please check</translation>
        </message>
        <message>
            <source>拆迁协议（%number）签订于%signed，至截止日期%cutoff已超过%years年有效期</source>
            <translation>Demolition agreement (%number) signed on %signed is past its %years-year validity by the cutoff date %cutoff</translation>
        </message>
        <message>
            <source>缺少必需材料：%label（可接受：%labels）；已上传的%count份无法识别</source>
            <translation>Required document missing: %label (accepted: %labels); the %count uploaded cannot be read</translation>
        </message>
        <message>
            <source>缺少必需材料：%label（可接受：%labels）</source>
            <translation>Required document missing: %label (accepted: %labels)</translation>
        </message>
        <message>
            <source>附件「%label」（%file）无法识别：%reason</source>
            <translation>Attachment “%label” (%file) is unreadable: %reason</translation>
        </message>
        <message>
            <source>附件「%label」无法识别：%reason</source>
            <translation>Attachment “%label” is unreadable: %reason</translation>
        </message>
        <message>
            <source>学生%name（%masked）另有%count个未办结案件：%cases</source>
            <translation>Student %name (%masked) has %count other open cases: %cases</translation>
        </message>
        <message>
            <source>数据库正忙（其他人的操作占用了同一数据），这次操作没有保存，请再试一次。</source>
            <translation>The database is busy (someone else's work held the same data). Nothing was saved this time; please try again.</translation>
        </message>
        <message>
            <source>数据库文件已损坏，无法安全读写。请联系管理员用最近的备份恢复。</source>
            <translation>The database file is damaged and cannot be used safely. Ask an administrator to restore the latest backup.</translation>
        </message>
        <message>
            <source>数据库所在的磁盘已满，这次操作没有保存。请腾出空间后再试。</source>
            <translation>The database's disk is full; nothing was saved. Free some space and try again.</translation>
        </message>
        <message>
            <source>数据库暂时无法访问。请稍后重试；如持续出现，请联系管理员。</source>
            <translation>The database cannot be reached right now. Try again later; if it goes on, tell an administrator.</translation>
        </message>
        <message>
            <source>数据库出现问题。请稍后重试；如持续出现，请联系管理员。</source>
            <translation>The database has a problem. Try again later; if it goes on, tell an administrator.</translation>
        </message>
        <message>
            <source>磁盘已满，这次操作没有保存。请腾出空间后再试。</source>
            <translation>The disk is full; nothing was saved. Free some space and try again.</translation>
        </message>
        <message>
            <source>磁盘配额已用完，这次操作没有保存。请腾出空间后再试。</source>
            <translation>The disk quota is used up; nothing was saved. Free some space and try again.</translation>
        </message>
        <message>
            <source>磁盘是只读的，无法写入</source>
            <translation>The disk is read-only</translation>
        </message>
        <message>
            <source>没有权限</source>
            <translation>No permission</translation>
        </message>
        <message>
            <source>文件或文件夹不存在</source>
            <translation>The file or folder does not exist</translation>
        </message>
        <message>
            <source>这是一个文件夹，不是文件</source>
            <translation>This is a folder, not a file</translation>
        </message>
        <message>
            <source>路径中有一段不是文件夹</source>
            <translation>A part of the path is not a folder</translation>
        </message>
        <message>
            <source>文件已存在</source>
            <translation>The file already exists</translation>
        </message>
        <message>
            <source>读写磁盘时出错</source>
            <translation>A disk read or write failed</translation>
        </message>
        <message>
            <source>打开的文件过多</source>
            <translation>Too many open files</translation>
        </message>
        <message>
            <source>文件名过长</source>
            <translation>The file name is too long</translation>
        </message>
        <message>
            <source>、</source>
            <translation>, </translation>
        </message>
        <message>
            <source>文件或磁盘错误</source>
            <translation>File or disk error</translation>
        </message>
        <message>
            <source>另一区县的%1个案件</source>
            <translation>%1 case(s) in another district</translation>
        </message>
        <message>
            <source>SQLite 文件 %1</source>
            <translation>SQLite file %1</translation>
        </message>
        <message>
            <source>PostgreSQL 服务器 %1，数据库 %2</source>
            <translation>PostgreSQL server %1, database %2</translation>
        </message>
        <message>
            <source>%1：%2</source>
            <translation>%1: %2</translation>
        </message>
        <message>
            <source>%1%2</source>
            <translation>%1 %2</translation>
        </message>
        <message>
            <source>%1年%2月%3日</source>
            <translation>%1-%2-%3</translation>
        </message>
    </context>
    <context>
        <name>LoginDialog</name>
        <message>
            <source>审核员</source>
            <translation>reviewer</translation>
        </message>
        <message>
            <source>复核员</source>
            <translation>supervisor</translation>
        </message>
        <message>
            <source>管理员</source>
            <translation>administrator</translation>
        </message>
        <message>
            <source>登录 — 审核工作台</source>
            <translation>Log in — ReviewDesk</translation>
        </message>
        <message>
            <source>审核工作台</source>
            <translation>ReviewDesk</translation>
        </message>
        <message>
            <source>入学补充材料审核</source>
            <translation>Review of enrollment supplementary materials</translation>
        </message>
        <message>
            <source>用户名</source>
            <translation>Username</translation>
        </message>
        <message>
            <source>密码</source>
            <translation>Password</translation>
        </message>
        <message>
            <source>登录</source>
            <translation>Log in</translation>
        </message>
        <message>
            <source>退出</source>
            <translation>Quit</translation>
        </message>
        <message>
            <source>核验通知单(&amp;V)…</source>
            <translation>&amp;Verify slips…</translation>
        </message>
        <message>
            <source>演示数据：可用以下账户登录（点击填入）</source>
            <translation>Demo data: log in with one of these accounts (click to fill in)</translation>
        </message>
        <message>
            <source>角色</source>
            <translation>Role</translation>
        </message>
        <message>
            <source>正在登录…</source>
            <translation>Logging in…</translation>
        </message>
        <message>
            <source>请输入用户名和密码。</source>
            <translation>Enter your username and password.</translation>
        </message>
        <message>
            <source>登录时发生内部错误，已记录日志。</source>
            <translation>An internal error occurred while logging in; it was logged.</translation>
        </message>
        <message>
            <source>连续登录失败次数过多，账户已锁定，%1 后解锁。</source>
            <translation>Too many failed logins: the account is locked until %1.</translation>
        </message>
        <message>
            <source>用户名或密码错误。</source>
            <translation>Wrong username or password.</translation>
        </message>
        <message>
            <source>账户已停用，请联系管理员。</source>
            <translation>This account is disabled; ask an administrator.</translation>
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>审核员</source>
            <translation>reviewer</translation>
        </message>
        <message>
            <source>复核员</source>
            <translation>supervisor</translation>
        </message>
        <message>
            <source>管理员</source>
            <translation>administrator</translation>
        </message>
        <message>
            <source>案件不存在，或不在您负责的辖区。</source>
            <translation>No such case, or it is not in your districts.</translation>
        </message>
        <message>
            <source>审核工作台 ReviewDesk — %1</source>
            <translation>ReviewDesk — %1</translation>
        </message>
        <message>
            <source>文件(&amp;F)</source>
            <translation>&amp;File</translation>
        </message>
        <message>
            <source>设置…</source>
            <translation>Settings…</translation>
        </message>
        <message>
            <source>工作(&amp;W)</source>
            <translation>&amp;Work</translation>
        </message>
        <message>
            <source>刷新队列</source>
            <translation>Refresh queue</translation>
        </message>
        <message>
            <source>搜索</source>
            <translation>Search</translation>
        </message>
        <message>
            <source>注销</source>
            <translation>Log out</translation>
        </message>
        <message>
            <source>退出</source>
            <translation>Quit</translation>
        </message>
        <message>
            <source>查看(&amp;V)</source>
            <translation>&amp;View</translation>
        </message>
        <message>
            <source>收起队列</source>
            <translation>Hide the queue</translation>
        </message>
        <message>
            <source>收起队列，给附件更多宽度；再按一次展开</source>
            <translation>Hide the queue to give the attachments more room; again to show it</translation>
        </message>
        <message>
            <source>审核(&amp;R)</source>
            <translation>&amp;Review</translation>
        </message>
        <message>
            <source>撤销上一个决定</source>
            <translation>Undo the last decision</translation>
        </message>
        <message>
            <source>在时限内撤销刚才作出的决定，并回到该案件</source>
            <translation>Undo the decision just made (within the time limit) and go back to that case</translation>
        </message>
        <message>
            <source>冲突…</source>
            <translation>Conflicts…</translation>
        </message>
        <message>
            <source>离线结论与他人结论冲突的案件：查看与裁决</source>
            <translation>Cases where an offline decision conflicts with someone else's: view and rule</translation>
        </message>
        <message>
            <source>现场签出…</source>
            <translation>On-site checkout…</translation>
        </message>
        <message>
            <source>签出一所学校的案件，到现场离线审核</source>
            <translation>Check out a school's cases to review them on site, offline</translation>
        </message>
        <message>
            <source>现场签出需要中心库：请在 文件 → 设置 中填写中心库地址并重新启动</source>
            <translation>On-site checkout needs a central store: enter its URL in File → Settings and restart</translation>
        </message>
        <message>
            <source>督导台…</source>
            <translation>Supervisor desk…</translation>
        </message>
        <message>
            <source>积压、审核进度、结论与理由（主管、管理员）</source>
            <translation>Backlog, progress, outcomes and reasons (supervisors, admins)</translation>
        </message>
        <message>
            <source>审计日志…</source>
            <translation>Audit log…</translation>
        </message>
        <message>
            <source>审计日志：按案件、人员、操作、日期筛选，校验日志链，导出 CSV</source>
            <translation>Audit log: filter by case, person, action and date, verify the chain, export CSV</translation>
        </message>
        <message>
            <source>抽查…</source>
            <translation>Spot checks…</translation>
        </message>
        <message>
            <source>复查抽给您的他人通过案件；主管抽取、裁决分歧、查看报告</source>
            <translation>Re-check others' approvals drawn for you; supervisors draw, settle disagreements and read the report</translation>
        </message>
        <message>
            <source>冲突</source>
            <translation>Conflicts</translation>
        </message>
        <message>
            <source>打印(&amp;P)</source>
            <translation>&amp;Print</translation>
        </message>
        <message>
            <source>打印通知书</source>
            <translation>Print notice</translation>
        </message>
        <message>
            <source>批量打印…</source>
            <translation>Batch print…</translation>
        </message>
        <message>
            <source>帮助(&amp;H)</source>
            <translation>&amp;Help</translation>
        </message>
        <message>
            <source>快捷键</source>
            <translation>Keyboard shortcuts</translation>
        </message>
        <message>
            <source>关于</source>
            <translation>About</translation>
        </message>
        <message>
            <source>» 队列</source>
            <translation>» Queue</translation>
        </message>
        <message>
            <source>展开队列（Ctrl+B）</source>
            <translation>Show the queue (Ctrl+B)</translation>
        </message>
        <message>
            <source>已是本标签页的最后一个案件。</source>
            <translation>This is the last case in this tab.</translation>
        </message>
        <message>
            <source>已是本标签页的第一个案件。</source>
            <translation>This is the first case in this tab.</translation>
        </message>
        <message>
            <source>没有可撤销的决定：本窗口中还没有作出决定。</source>
            <translation>Nothing to undo: no decision has been made in this window yet.</translation>
        </message>
        <message>
            <source>正在撤销 %1 的决定…</source>
            <translation>Undoing the decision on %1…</translation>
        </message>
        <message>
            <source>已撤销 %1 的决定：案件回到待审核，可以重新作出决定。</source>
            <translation>The decision on %1 was undone: the case is pending again and can be decided anew.</translation>
        </message>
        <message>
            <source>不能撤销 %1 的决定：%2</source>
            <translation>Cannot undo the decision on %1: %2</translation>
        </message>
        <message>
            <source>打印当前案件的审核结论通知书</source>
            <translation>Print the decision notice of the current case</translation>
        </message>
        <message>
            <source>当前案件还没有最终结论（已通过、未通过或已退回）</source>
            <translation>The current case has no final decision yet (approved, rejected or returned)</translation>
        </message>
        <message>
            <source>中心库设置已保存，重新启动程序后生效。</source>
            <translation>Central store setting saved; it takes effect after a restart.</translation>
        </message>
        <message>
            <source>发生内部错误，已记录日志。可以继续工作。</source>
            <translation>An internal error occurred and was logged. You can keep working.</translation>
        </message>
        <message>
            <source>界面语言将在重新启动后切换。</source>
            <translation>The interface language changes after a restart.</translation>
        </message>
        <message>
            <source>有未提交的草稿</source>
            <translation>Unsubmitted drafts</translation>
        </message>
        <message>
            <source>以下 %1 个案件有未提交的草稿，关闭后将丢失：</source>
            <translation>These %1 cases have unsubmitted drafts that are lost on closing:</translation>
        </message>
        <message>
            <source>丢弃草稿并关闭</source>
            <translation>Discard the drafts and close</translation>
        </message>
        <message>
            <source>返回继续审核</source>
            <translation>Go back to reviewing</translation>
        </message>
        <message>
            <source>展开队列</source>
            <translation>Show the queue</translation>
        </message>
        <message>
            <source>J / ↓  下一个案件
K / ↑  上一个案件
Enter  打开案件
Ctrl+F  搜索
F5  刷新队列
Alt+1…7  切换标签页</source>
            <translation>J / ↓  next case
K / ↑  previous case
Enter  open the case
Ctrl+F  search
F5  refresh the queue
Alt+1…7  switch tabs</translation>
        </message>
        <message>
            <source>审核工作台 ReviewDesk
入学补充材料审核</source>
            <translation>ReviewDesk
Review of enrollment supplementary materials</translation>
        </message>
        <message>
            <source>版本 %1</source>
            <translation>Version %1</translation>
        </message>
    </context>
    <context>
        <name>MessageBar</name>
        <message>
            <source>关闭</source>
            <translation>Close</translation>
        </message>
    </context>
    <context>
        <name>OverflowToolBar</name>
        <message>
            <source>更多工具</source>
            <translation>More tools</translation>
        </message>
    </context>
    <context>
        <name>PeriodDialog</name>
        <message>
            <source>导出审核结论</source>
            <translation>Export decisions</translation>
        </message>
        <message>
            <source>从</source>
            <translation>From</translation>
        </message>
        <message>
            <source>到</source>
            <translation>To</translation>
        </message>
        <message>
            <source>完整身份证号（记入审计日志）</source>
            <translation>Full ID numbers (written to the audit log)</translation>
        </message>
    </context>
    <context>
        <name>PrintPreviewDialog</name>
        <message>
            <source>打印预览</source>
            <translation>Print preview</translation>
        </message>
        <message>
            <source>上一页</source>
            <translation>Previous page</translation>
        </message>
        <message>
            <source>下一页</source>
            <translation>Next page</translation>
        </message>
        <message>
            <source>适合宽度</source>
            <translation>Fit width</translation>
        </message>
        <message>
            <source>另存为 PDF…</source>
            <translation>Save as PDF…</translation>
        </message>
        <message>
            <source>打印…</source>
            <translation>Print…</translation>
        </message>
        <message>
            <source>缩放</source>
            <translation>Zoom</translation>
        </message>
        <message>
            <source>正在生成预览…</source>
            <translation>Generating the preview…</translation>
        </message>
        <message>
            <source>预览不计为打印：点“打印…”或“另存为 PDF…”时才登记编号。</source>
            <translation>A preview is not a print: the notice number is registered only on “Print…” or “Save as PDF…”.</translation>
        </message>
        <message>
            <source>这是补打（%1），打印时须填写补打原因。</source>
            <translation>This is a reprint (%1): printing asks for the reason.</translation>
        </message>
        <message>
            <source>正在打印，请等待打印完成后再关闭。</source>
            <translation>Printing: please wait until it has finished before closing.</translation>
        </message>
        <message>
            <source>第 {0} 页，共 {1} 页</source>
            <translation>Page {0} of {1}</translation>
        </message>
        <message>
            <source>无法显示此 PDF：{0}</source>
            <translation>Cannot display this PDF: {0}</translation>
        </message>
        <message>
            <source>另存为 PDF</source>
            <translation>Save as PDF</translation>
        </message>
        <message>
            <source>正在保存…</source>
            <translation>Saving…</translation>
        </message>
        <message>
            <source>保存失败：{0}</source>
            <translation>Saving failed: {0}</translation>
        </message>
        <message>
            <source>保存失败</source>
            <translation>Saving failed</translation>
        </message>
        <message>
            <source>没有记录打印。请换一个位置或检查磁盘后再试。</source>
            <translation>The print was not recorded. Choose another place or check the disk and try again.</translation>
        </message>
        <message>
            <source>已保存到 {0}</source>
            <translation>Saved to {0}</translation>
        </message>
        <message>
            <source>打印通知单</source>
            <translation>Print notice</translation>
        </message>
        <message>
            <source>这台电脑没有安装打印机，通知单没有打印，也没有登记。
可以“另存为 PDF”，再到有打印机的电脑上打印；或请管理员安装打印机后再试。</source>
            <translation>This computer has no printer: the notice was neither printed nor registered.
Use “Save as PDF” and print it on a computer with a printer, or ask an administrator to install a printer and try again.</translation>
        </message>
        <message>
            <source>没有找到打印机</source>
            <translation>No printer found</translation>
        </message>
        <message>
            <source>取消</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <source>补打通知单</source>
            <translation>Reprint notice</translation>
        </message>
        <message>
            <source>{0} 的通知单已打印过，这一份是补打。
补打原因：</source>
            <translation>The notice of {0} was printed before; this copy is a reprint.
Reason for the reprint:</translation>
        </message>
        <message>
            <source>补打须填写原因：没有打印，也没有登记。</source>
            <translation>A reprint needs a reason: nothing was printed or registered.</translation>
        </message>
        <message>
            <source>正在登记通知单…</source>
            <translation>Registering the notice…</translation>
        </message>
        <message>
            <source>已登记：编号 %1。再次打印请重新打开预览（将作为补打）。</source>
            <translation>Registered: number %1. To print again, open the preview again (it will be a reprint).</translation>
        </message>
        <message>
            <source>内部错误：{0}</source>
            <translation>Internal error: {0}</translation>
        </message>
        <message>
            <source>无法打印</source>
            <translation>Cannot print</translation>
        </message>
        <message>
            <source>打印机无法开始打印</source>
            <translation>The printer could not start printing</translation>
        </message>
        <message>
            <source>（通知单已登记：请以补打重新打印）</source>
            <translation>(the notice is registered: print it again as a reprint)</translation>
        </message>
        <message>
            <source>已发送 {0} 页到打印机</source>
            <translation>Sent {0} pages to the printer</translation>
        </message>
        <message>
            <source>打印失败：{0}</source>
            <translation>Printing failed: {0}</translation>
        </message>
        <message>
            <source>正在打印 {0}/{1}…</source>
            <translation>Printing {0}/{1}…</translation>
        </message>
        <message>
            <source>打印机拒绝了新的一页</source>
            <translation>The printer refused a new page</translation>
        </message>
    </context>
    <context>
        <name>QAbstractFileIconProvider</name>
        <message>
            <source>Drive</source>
            <translation>Drive</translation>
        </message>
    </context>
    <context>
        <name>QFileDialog</name>
        <message>
            <source>&amp;Look in:</source>
            <translation>&amp;Look in:</translation>
        </message>
        <message>
            <source>Files of &amp;type:</source>
            <translation>Files of &amp;type:</translation>
        </message>
    </context>
    <context>
        <name>QPrintSettingsOutput</name>
        <message>
            <source>Page &amp;Set:</source>
            <translation>Page &amp;Set:</translation>
        </message>
        <message>
            <source>Page &amp;order:</source>
            <translation>Page &amp;order:</translation>
        </message>
        <message>
            <source>Pages &amp;per sheet:</source>
            <translation>Pages &amp;per sheet:</translation>
        </message>
    </context>
    <context>
        <name>QaDialog</name>
        <message>
            <source>抽查</source>
            <translation>Spot checks</translation>
        </message>
        <message>
            <source>他人通过的案件，抽给您复查（双击打开案件）：</source>
            <translation>Others' approvals drawn for you to re-check (double-click opens the case):</translation>
        </message>
        <message>
            <source>案件编号</source>
            <translation>Case number</translation>
        </message>
        <message>
            <source>类型</source>
            <translation>Kind</translation>
        </message>
        <message>
            <source>学校</source>
            <translation>School</translation>
        </message>
        <message>
            <source>审核人</source>
            <translation>Reviewer</translation>
        </message>
        <message>
            <source>通过时间</source>
            <translation>Approved at</translation>
        </message>
        <message>
            <source>意见（不同意时必填）</source>
            <translation>Comment (required when you disagree)</translation>
        </message>
        <message>
            <source>同意</source>
            <translation>Agree</translation>
        </message>
        <message>
            <source>不同意</source>
            <translation>Disagree</translation>
        </message>
        <message>
            <source>我的抽查</source>
            <translation>My spot checks</translation>
        </message>
        <message>
            <source>留空则自动生成；填写以前的种子可复现抽取</source>
            <translation>Leave empty to generate one; an earlier seed repeats that draw</translation>
        </message>
        <message>
            <source>种子</source>
            <translation>Seed</translation>
        </message>
        <message>
            <source>抽取</source>
            <translation>Draw</translation>
        </message>
        <message>
            <source>抽查人</source>
            <translation>Checker</translation>
        </message>
        <message>
            <source>抽查意见</source>
            <translation>Checker's comment</translation>
        </message>
        <message>
            <source>维持（原通过结论有效）</source>
            <translation>Uphold (the approval stands)</translation>
        </message>
        <message>
            <source>改判：以主管的结论取代原通过结论</source>
            <translation>Overturn: the supervisor's decision replaces the approval</translation>
        </message>
        <message>
            <source>不通过</source>
            <translation>Reject</translation>
        </message>
        <message>
            <source>退回补充</source>
            <translation>Return</translation>
        </message>
        <message>
            <source>结论</source>
            <translation>Decision</translation>
        </message>
        <message>
            <source>理由</source>
            <translation>Reasons</translation>
        </message>
        <message>
            <source>缺少材料</source>
            <translation>Missing documents</translation>
        </message>
        <message>
            <source>说明</source>
            <translation>Note</translation>
        </message>
        <message>
            <source>改判</source>
            <translation>Overturn</translation>
        </message>
        <message>
            <source>分歧</source>
            <translation>Disagreements</translation>
        </message>
        <message>
            <source>通过</source>
            <translation>Approvals</translation>
        </message>
        <message>
            <source>被抽查</source>
            <translation>Sampled</translation>
        </message>
        <message>
            <source>已复查</source>
            <translation>Checked</translation>
        </message>
        <message>
            <source>分歧率</source>
            <translation>Disagreement rate</translation>
        </message>
        <message>
            <source>被改判</source>
            <translation>Overturned</translation>
        </message>
        <message>
            <source>导出报告…</source>
            <translation>Export report…</translation>
        </message>
        <message>
            <source>把分歧报告存为 Excel 或 CSV</source>
            <translation>Save the disagreement report as Excel or CSV</translation>
        </message>
        <message>
            <source>报告</source>
            <translation>Report</translation>
        </message>
        <message>
            <source>导出报告</source>
            <translation>Export report</translation>
        </message>
        <message>
            <source>已导出 %1 位审核人的报告到 %2</source>
            <translation>Exported the report of %1 reviewers to %2</translation>
        </message>
        <message>
            <source>我的抽查（%1）</source>
            <translation>My spot checks (%1)</translation>
        </message>
        <message>
            <source>已抽取 %1 件（共 %2 件通过案件参与抽取）。种子：%3</source>
            <translation>Drew %1 (of %2 approvals considered). Seed: %3</translation>
        </message>
        <message>
            <source>无其他审核员可分配：%1</source>
            <translation>No other reviewer to assign: %1</translation>
        </message>
        <message>
            <source>请先选择一个案件。</source>
            <translation>Select a case first.</translation>
        </message>
        <message>
            <source>已记录对 %1 的复查意见。</source>
            <translation>Your check of %1 is recorded.</translation>
        </message>
        <message>
            <source>请先选择一个分歧。</source>
            <translation>Select a disagreement first.</translation>
        </message>
        <message>
            <source>维持</source>
            <translation>Uphold</translation>
        </message>
        <message>
            <source>%1：已%2。</source>
            <translation>%1: %2.</translation>
        </message>
        <message>
            <source>操作未完成：%1</source>
            <translation>Not done: %1</translation>
        </message>
        <message>
            <source>无法连接中心库：抽查须联网进行，本次未作任何更改</source>
            <translation>The central store cannot be reached: QA sampling needs it online; nothing was changed</translation>
        </message>
        <message>
            <source>本机没有您在中心库的有效凭证：请联网后重新登录</source>
            <translation>This computer holds no valid proof of you for the central store: log in again while online</translation>
        </message>
        <message>
            <source>您的账号已被主管暂停</source>
            <translation>Your account is paused by a supervisor</translation>
        </message>
        <message>
            <source>您的角色无权进行此操作</source>
            <translation>Your role may not do this</translation>
        </message>
        <message>
            <source>中心库拒绝：您的账号无权在该区县进行此操作</source>
            <translation>Refused by the central store: your account may not do this in that district</translation>
        </message>
        <message>
            <source>该案件不属于本工作站负责的区县</source>
            <translation>This case is not in a district this workstation serves</translation>
        </message>
        <message>
            <source>该案件未被抽中，或抽查记录尚未同步到本机</source>
            <translation>This case was not drawn, or the draw has not reached this computer yet</translation>
        </message>
        <message>
            <source>该抽查案件不是分配给您的</source>
            <translation>This sample is not assigned to you</translation>
        </message>
        <message>
            <source>您已对该案件给出复查意见</source>
            <translation>You have already given your verdict on this case</translation>
        </message>
        <message>
            <source>被抽查的通过决定已不再有效</source>
            <translation>The sampled approval no longer stands</translation>
        </message>
        <message>
            <source>不同意时须填写理由</source>
            <translation>A disagreement needs a comment saying why</translation>
        </message>
        <message>
            <source>该案件没有待处理的抽查分歧</source>
            <translation>This case has no disagreement waiting to be settled</translation>
        </message>
        <message>
            <source>该分歧已处理</source>
            <translation>This disagreement has already been settled</translation>
        </message>
        <message>
            <source>四眼原则：不能处理对自己所作通过决定的分歧</source>
            <translation>Four eyes: you cannot settle a disagreement about your own approval</translation>
        </message>
        <message>
            <source>改判须选择不通过或退回补充；要保留原决定请选「维持」</source>
            <translation>Overturning needs a rejection or a return; to keep the approval, choose Uphold</translation>
        </message>
        <message>
            <source>改判须选择新的结论</source>
            <translation>Overturning needs the new outcome</translation>
        </message>
        <message>
            <source>随机种子无效：请使用字母和数字，最多 128 个字符</source>
            <translation>Invalid seed: use letters and digits, at most 128 characters</translation>
        </message>
        <message>
            <source>抽查比例无效：须在 0 到 100 之间</source>
            <translation>Invalid share: it must lie between 0 and 100</translation>
        </message>
        <message>
            <source>意见过长：最多 2,000 字</source>
            <translation>The comment is too long: at most 2,000 characters</translation>
        </message>
        <message>
            <source>意见中含有无法保存的控制字符，请删除后重试</source>
            <translation>The comment holds control characters that cannot be stored: remove them and try again</translation>
        </message>
    </context>
    <context>
        <name>QuarantineDialog</name>
        <message>
            <source>审核结论</source>
            <translation>Decision</translation>
        </message>
        <message>
            <source>打印记录</source>
            <translation>Print record</translation>
        </message>
        <message>
            <source>隔离的上传项</source>
            <translation>Quarantined uploads</translation>
        </message>
        <message>
            <source>这些记录被中心库拒绝，不会再自动重试。请把错误信息告知管理员；本机的记录仍然保留。</source>
            <translation>The central store refused these records; they will not be retried automatically. Tell your administrator the error; the records are kept on this computer.</translation>
        </message>
        <message>
            <source>类型</source>
            <translation>Type</translation>
        </message>
        <message>
            <source>编号</source>
            <translation>ID</translation>
        </message>
        <message>
            <source>错误</source>
            <translation>Error</translation>
        </message>
    </context>
    <context>
        <name>QueueModel</name>
        <message>
            <source>监护关系</source>
            <translation>Guardianship</translation>
        </message>
        <message>
            <source>农房</source>
            <translation>Rural house</translation>
        </message>
        <message>
            <source>隔代亲属</source>
            <translation>Grandparents</translation>
        </message>
        <message>
            <source>错误</source>
            <translation>Error</translation>
        </message>
        <message>
            <source>警告</source>
            <translation>Warning</translation>
        </message>
        <message>
            <source>提示</source>
            <translation>Info</translation>
        </message>
        <message>
            <source>%1天%2小时</source>
            <translation>%1d %2h</translation>
        </message>
        <message>
            <source>%1小时</source>
            <translation>%1h</translation>
        </message>
        <message>
            <source>%1分钟</source>
            <translation>%1 min</translation>
        </message>
        <message>
            <source>案件编号</source>
            <translation>Case no.</translation>
        </message>
        <message>
            <source>类型</source>
            <translation>Kind</translation>
        </message>
        <message>
            <source>学生</source>
            <translation>Student</translation>
        </message>
        <message>
            <source>学校</source>
            <translation>School</translation>
        </message>
        <message>
            <source>提交时间</source>
            <translation>Submitted</translation>
        </message>
        <message>
            <source>等待时长</source>
            <translation>Waiting</translation>
        </message>
        <message>
            <source>发现</source>
            <translation>Findings</translation>
        </message>
        <message>
            <source>状态</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>处理人</source>
            <translation>Held by</translation>
        </message>
        <message>
            <source>此列不排序</source>
            <translation>This column does not sort</translation>
        </message>
        <message>
            <source>%1 处理中，至 %2</source>
            <translation>%1 is working on it until %2</translation>
        </message>
        <message>
            <source>待审核</source>
            <translation>Pending</translation>
        </message>
        <message>
            <source>待复核</source>
            <translation>To confirm</translation>
        </message>
        <message>
            <source>已通过</source>
            <translation>Approved</translation>
        </message>
        <message>
            <source>未通过</source>
            <translation>Rejected</translation>
        </message>
        <message>
            <source>已退回</source>
            <translation>Returned</translation>
        </message>
    </context>
    <context>
        <name>QueueView</name>
        <message>
            <source>待审核</source>
            <translation>Pending</translation>
        </message>
        <message>
            <source>我的</source>
            <translation>Mine</translation>
        </message>
        <message>
            <source>待复核</source>
            <translation>To confirm</translation>
        </message>
        <message>
            <source>已通过</source>
            <translation>Approved</translation>
        </message>
        <message>
            <source>未通过</source>
            <translation>Rejected</translation>
        </message>
        <message>
            <source>已退回</source>
            <translation>Returned</translation>
        </message>
        <message>
            <source>冲突</source>
            <translation>Conflicts</translation>
        </message>
        <message>
            <source>全部发现</source>
            <translation>Any findings</translation>
        </message>
        <message>
            <source>有错误</source>
            <translation>With errors</translation>
        </message>
        <message>
            <source>警告及以上</source>
            <translation>Warnings and errors</translation>
        </message>
        <message>
            <source>有任何发现</source>
            <translation>With any finding</translation>
        </message>
        <message>
            <source>全部类型</source>
            <translation>All kinds</translation>
        </message>
        <message>
            <source>全部学校</source>
            <translation>All schools</translation>
        </message>
        <message>
            <source>等待 ≥ </source>
            <translation>Waiting ≥ </translation>
        </message>
        <message>
            <source> 天</source>
            <translation> days</translation>
        </message>
        <message>
            <source>等待时长不限</source>
            <translation>Any waiting time</translation>
        </message>
        <message>
            <source>搜索 姓名 / 身份证号（或末 4 位）/ 案件编号  (Ctrl+F)</source>
            <translation>Search name / ID number (or its last 4) / case no.  (Ctrl+F)</translation>
        </message>
        <message>
            <source>回车或 ↓：到搜索结果</source>
            <translation>Enter or ↓: to the results</translation>
        </message>
        <message>
            <source>收起队列，给案件更多宽度（Ctrl+B）</source>
            <translation>Hide the queue to give the case more room (Ctrl+B)</translation>
        </message>
        <message>
            <source>正在加载…</source>
            <translation>Loading…</translation>
        </message>
        <message>
            <source>没有符合条件的案件</source>
            <translation>No cases match</translation>
        </message>
    </context>
    <context>
        <name>SettingsDialog</name>
        <message>
            <source>设置</source>
            <translation>Settings</translation>
        </message>
        <message>
            <source>留空则为单机模式。更改在重新启动程序后生效。命令行参数 --central 和环境变量 REVIEWDESK_CENTRAL 优先于此处的设置。</source>
            <translation>Leave empty for stand-alone mode. A change takes effect after restarting the program. The --central option and the REVIEWDESK_CENTRAL environment variable take precedence over this setting.</translation>
        </message>
        <message>
            <source>当前使用：%1</source>
            <translation>In use now: %1</translation>
        </message>
        <message>
            <source>单机模式</source>
            <translation>Stand-alone</translation>
        </message>
        <message>
            <source>中心库地址：</source>
            <translation>Central store URL:</translation>
        </message>
    </context>
    <context>
        <name>ShortcutSheet</name>
        <message>
            <source>快捷键一览</source>
            <translation>Keyboard shortcuts</translation>
        </message>
        <message>
            <source>类别</source>
            <translation>Group</translation>
        </message>
        <message>
            <source>按键</source>
            <translation>Keys</translation>
        </message>
        <message>
            <source>操作</source>
            <translation>Action</translation>
        </message>
    </context>
    <context>
        <name>StationSettingsDialog</name>
        <message>
            <source>核验站设置</source>
            <translation>Station settings</translation>
        </message>
        <message>
            <source>与通知单上的学校名称一致</source>
            <translation>As the school's name is printed on the slips</translation>
        </message>
        <message>
            <source>例如：东门登记处</source>
            <translation>e.g. East gate desk</translation>
        </message>
        <message>
            <source>本校名称(&amp;S)</source>
            <translation>&amp;School</translation>
        </message>
        <message>
            <source>核验站名称(&amp;N)</source>
            <translation>Station &amp;name</translation>
        </message>
        <message>
            <source>添加公钥文件(&amp;A)…</source>
            <translation>&amp;Add a public key file…</translation>
        </message>
        <message>
            <source>移除所选(&amp;R)</source>
            <translation>&amp;Remove selected</translation>
        </message>
        <message>
            <source>保存</source>
            <translation>Save</translation>
        </message>
        <message>
            <source>取消</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <source>区教育局的公钥文件（reviewdesk keys export 导出）</source>
            <translation>The district bureau's public key files (from reviewdesk keys export)</translation>
        </message>
        <message>
            <source>公钥只能核验签名；能连接数据库时，还会核对决定是否仍然有效、是否为本校的通知单。</source>
            <translation>Public keys check signatures only; when the store can be reached, the station also checks that the decision still stands and that the slip is this school's.</translation>
        </message>
        <message>
            <source>第 %1 号密钥</source>
            <translation>key %1</translation>
        </message>
        <message>
            <source>未编号的密钥</source>
            <translation>unnumbered key</translation>
        </message>
        <message>
            <source>选择区教育局的公钥文件</source>
            <translation>Choose the district bureau's public key file</translation>
        </message>
        <message>
            <source>公钥文件 (*.pub *.pem);;所有文件 (*)</source>
            <translation>Public key files (*.pub *.pem);;All files (*)</translation>
        </message>
        <message>
            <source>请填写本校名称：与通知单上的学校名称一致。</source>
            <translation>Type the school's name, as the slips print it.</translation>
        </message>
        <message>
            <source>请填写核验站名称，它会记在每条核验记录里。</source>
            <translation>Type the station's name: it goes into every log entry.</translation>
        </message>
        <message>
            <source>无法保存设置：%1</source>
            <translation>Cannot save the settings: %1</translation>
        </message>
        <message>
            <source>无法读取这个文件。</source>
            <translation>This file cannot be read.</translation>
        </message>
        <message>
            <source>这不是区教育局的公钥文件：请使用 reviewdesk keys export 导出的文件。</source>
            <translation>This is not a district public key file: use the file reviewdesk keys export wrote.</translation>
        </message>
        <message>
            <source>这个公钥文件没有写明所属区县：请让区教育局用 reviewdesk keys export 重新导出。</source>
            <translation>This key file does not say which district it belongs to: ask the bureau to export it again with reviewdesk keys export.</translation>
        </message>
        <message>
            <source>名称太长：最多 %1 个字。</source>
            <translation>The name is too long: at most %1 characters.</translation>
        </message>
        <message>
            <source>名称里有无法显示的字符，请重新输入。</source>
            <translation>The name holds characters that cannot be shown: type it again.</translation>
        </message>
        <message>
            <source>名称不能为空。</source>
            <translation>The name cannot be empty.</translation>
        </message>
    </context>
    <context>
        <name>StationWindow</name>
        <message>
            <source>通知单核验站</source>
            <translation>Slip verification station</translation>
        </message>
        <message>
            <source>请扫描通知单上的二维码（也可粘贴后按回车）</source>
            <translation>Scan the QR code on the slip (or paste it and press Enter)</translation>
        </message>
        <message>
            <source>回车 核验　Esc 清除　F2 设置　Ctrl+E 导出今日记录</source>
            <translation>Enter check   Esc clear   F2 settings   Ctrl+E export today's log</translation>
        </message>
        <message>
            <source>正在准备核验站…</source>
            <translation>Preparing the station…</translation>
        </message>
        <message>
            <source>请扫描通知单上的二维码</source>
            <translation>Scan the QR code on the slip</translation>
        </message>
        <message>
            <source>数据库：正在连接…</source>
            <translation>Store: connecting…</translation>
        </message>
        <message>
            <source>核验站无法启动</source>
            <translation>The station cannot start</translation>
        </message>
        <message>
            <source>本站还没有区教育局的公钥文件：按 F2 添加</source>
            <translation>This station has no public key file of the district bureau yet: press F2 to add one</translation>
        </message>
        <message>
            <source>本站还没有设置学校：按 F2 设置</source>
            <translation>This station has no school set yet: press F2 to set it</translation>
        </message>
        <message>
            <source>（未设置学校）</source>
            <translation>(no school set)</translation>
        </message>
        <message>
            <source>公钥：%1</source>
            <translation>Public keys: %1</translation>
        </message>
        <message>
            <source>无</source>
            <translation>none</translation>
        </message>
        <message>
            <source>离线核验（只核验签名）</source>
            <translation>Offline (signatures only)</translation>
        </message>
        <message>
            <source>数据库：已连接</source>
            <translation>Store: connected</translation>
        </message>
        <message>
            <source>数据库：无法连接，只核验签名</source>
            <translation>Store: unreachable, checking signatures only</translation>
        </message>
        <message>
            <source>今日已核验 %1 份</source>
            <translation>%1 checked today</translation>
        </message>
        <message>
            <source>无法核验</source>
            <translation>Cannot check</translation>
        </message>
        <message>
            <source>导出今日核验记录</source>
            <translation>Export today's checks</translation>
        </message>
        <message>
            <source>Excel 表格 (*.xlsx);;CSV 文件 (*.csv)</source>
            <translation>Excel workbook (*.xlsx);;CSV file (*.csv)</translation>
        </message>
        <message>
            <source>今日已核验 %1 份 · 已导出到 %2</source>
            <translation>%1 checked today · exported to %2</translation>
        </message>
        <message>
            <source>导出失败：文件名须以 .xlsx 或 .csv 结尾。</source>
            <translation>Export failed: the file name must end in .xlsx or .csv.</translation>
        </message>
        <message>
            <source>导出失败：%1</source>
            <translation>Export failed: %1</translation>
        </message>
    </context>
    <context>
        <name>StationWords</name>
        <message>
            <source>审核通过</source>
            <translation>Approved</translation>
        </message>
        <message>
            <source>审核不通过</source>
            <translation>Rejected</translation>
        </message>
        <message>
            <source>退回补充材料</source>
            <translation>Returned: documents missing</translation>
        </message>
        <message>
            <source>现场审核回执</source>
            <translation>On-site verification receipt</translation>
        </message>
        <message>
            <source>有效</source>
            <translation>VALID</translation>
        </message>
        <message>
            <source>无效</source>
            <translation>INVALID</translation>
        </message>
        <message>
            <source>请核实</source>
            <translation>CHECK</translation>
        </message>
        <message>
            <source>无法核验</source>
            <translation>CANNOT CHECK</translation>
        </message>
        <message>
            <source>非本校</source>
            <translation>OTHER SCHOOL</translation>
        </message>
        <message>
            <source>非通过通知单</source>
            <translation>NOT AN APPROVAL</translation>
        </message>
        <message>
            <source>已核验过</source>
            <translation>ALREADY CHECKED</translation>
        </message>
        <message>
            <source>签名真实</source>
            <translation>GENUINE SIGNATURE</translation>
        </message>
        <message>
            <source>中心数据库（刚刚同步）</source>
            <translation>the central store (synced just now)</translation>
        </message>
        <message>
            <source>本机副本（中心数据库无法连接）</source>
            <translation>this computer's copy (the central store is unreachable)</translation>
        </message>
        <message>
            <source>数据库</source>
            <translation>the store</translation>
        </message>
    </context>
    <context>
        <name>SteeringPanel</name>
        <message>
            <source>认领的案件</source>
            <translation>Cases held</translation>
        </message>
        <message>
            <source>全选</source>
            <translation>Select all</translation>
        </message>
        <message>
            <source>转派给本区的另一位审核人或主管</source>
            <translation>Give to another reviewer or supervisor of the district</translation>
        </message>
        <message>
            <source>转派给</source>
            <translation>Give to</translation>
        </message>
        <message>
            <source>原因（必填，记入审计日志）</source>
            <translation>Reason (required, written to the audit log)</translation>
        </message>
        <message>
            <source>转派</source>
            <translation>Reassign</translation>
        </message>
        <message>
            <source>释放</source>
            <translation>Release</translation>
        </message>
        <message>
            <source>收回认领：案件回到待审核，任何人可再认领</source>
            <translation>Take the claim back: the case returns to pending and anyone may claim it</translation>
        </message>
        <message>
            <source>暂停账号</source>
            <translation>Pause account</translation>
        </message>
        <message>
            <source>暂停后此人不能登录、认领或提交决定，直到主管恢复；认领中的案件请先转派或释放</source>
            <translation>While paused the person cannot log in, claim or decide until a supervisor resumes them; give away or release their held cases first</translation>
        </message>
        <message>
            <source>恢复账号</source>
            <translation>Resume account</translation>
        </message>
        <message>
            <source>认领的案件（选中一位审核人）</source>
            <translation>Cases held (select a reviewer)</translation>
        </message>
        <message>
            <source>%1 认领的案件</source>
            <translation>Cases held by %1</translation>
        </message>
        <message>
            <source>没有认领中的案件。</source>
            <translation>No cases held.</translation>
        </message>
        <message>
            <source>未能完成：%1</source>
            <translation>Could not finish: %1</translation>
        </message>
        <message>
            <source>已暂停 %1 的账号。</source>
            <translation>%1's account is paused.</translation>
        </message>
        <message>
            <source>已恢复 %1 的账号。</source>
            <translation>%1's account is resumed.</translation>
        </message>
        <message>
            <source>已处理 %1 件。</source>
            <translation>%1 done.</translation>
        </message>
        <message>
            <source>未处理 %1 件：%2</source>
            <translation>%1 not done: %2</translation>
        </message>
    </context>
    <context>
        <name>SyncStatusWidget</name>
        <message>
            <source>查看被中心库拒绝的记录</source>
            <translation>Show the records the central store refused</translation>
        </message>
        <message>
            <source>立即同步</source>
            <translation>Sync now</translation>
        </message>
        <message>
            <source>上次同步 %1</source>
            <translation>Last sync %1</translation>
        </message>
        <message>
            <source>单机模式</source>
            <translation>Stand-alone</translation>
        </message>
        <message>
            <source>未配置中心库：案件只在本机审核。可在 文件 → 设置 中填写中心库地址。</source>
            <translation>No central store configured: cases are reviewed on this computer only. Enter a central store URL in File → Settings.</translation>
        </message>
        <message>
            <source>同步出错</source>
            <translation>Sync error</translation>
        </message>
        <message>
            <source>在线</source>
            <translation>Online</translation>
        </message>
        <message>
            <source>离线</source>
            <translation>Offline</translation>
        </message>
        <message>
            <source>中心库无法连接：%1</source>
            <translation>Central store unreachable: %1</translation>
        </message>
        <message>
            <source>待上传 %1</source>
            <translation>To upload %1</translation>
        </message>
        <message>
            <source>隔离 %1</source>
            <translation>Quarantined %1</translation>
        </message>
        <message>
            <source>只读：中心库版本较新，请升级本程序</source>
            <translation>Read-only: the central store is newer; please upgrade this program</translation>
        </message>
    </context>
    <context>
        <name>ThumbnailStrip</name>
        <message>
            <source>无法显示</source>
            <translation>Cannot be displayed</translation>
        </message>
    </context>
    <context>
        <name>VerdictView</name>
        <message>
            <source>请扫描通知单上的二维码</source>
            <translation>Scan the QR code on the slip</translation>
        </message>
        <message>
            <source>正在核验…</source>
            <translation>Checking…</translation>
        </message>
        <message>
            <source>姓名</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>身份证号</source>
            <translation>ID number</translation>
        </message>
        <message>
            <source>学校</source>
            <translation>School</translation>
        </message>
        <message>
            <source>类型</source>
            <translation>Kind</translation>
        </message>
        <message>
            <source>审核结论</source>
            <translation>Outcome</translation>
        </message>
        <message>
            <source>签发日期</source>
            <translation>Issued on</translation>
        </message>
        <message>
            <source>案件编号</source>
            <translation>Case number</translation>
        </message>
        <message>
            <source>流水号</source>
            <translation>Serial</translation>
        </message>
        <message>
            <source>核验时间 %1</source>
            <translation>Checked at %1</translation>
        </message>
        <message>
            <source>正在联网核对决定状态…</source>
            <translation>Checking the decision's state with the store…</translation>
        </message>
        <message>
            <source>已核对：%1</source>
            <translation>State checked against: %1</translation>
        </message>
        <message>
            <source>记录未能保存：%1</source>
            <translation>Not logged: %1</translation>
        </message>
    </context>
    <context>
        <name>ViewerFeeder</name>
        <message>
            <source>无法识别的文件</source>
            <translation>Unrecognised file</translation>
        </message>
        <message>
            <source>显示时出错（已记录）：%1</source>
            <translation>Could not display (logged): %1</translation>
        </message>
    </context>
    <context>
        <name>_CasePlaceholder</name>
        <message>
            <source>从左侧队列选择一个案件</source>
            <translation>Choose a case in the queue on the left</translation>
        </message>
    </context>
    <context>
        <name>CaseView</name>
        <message>
            <source>查看以前各轮提交的材料（只读）</source>
            <translation>View the materials of earlier rounds (read-only)</translation>
        </message>
        <message>
            <source>材料事实</source>
            <translation>Facts</translation>
        </message>
        <message>
            <source>审核记录</source>
            <translation>History</translation>
        </message>
        <message>
            <source>正在打开…</source>
            <translation>Opening…</translation>
        </message>
        <message>
            <source>正在领取…</source>
            <translation>Claiming…</translation>
        </message>
        <message>
            <source>未领取：按回车或点击此处开始审核</source>
            <translation>Not claimed: press Enter or click here to start reviewing</translation>
        </message>
        <message>
            <source>未打开案件</source>
            <translation>No case open</translation>
        </message>
        <message>
            <source>在队列中选择案件后按回车打开</source>
            <translation>Select a case in the queue and press Enter to open it</translation>
        </message>
        <message>
            <source>时间</source>
            <translation>Time</translation>
        </message>
        <message>
            <source>操作人</source>
            <translation>By</translation>
        </message>
        <message>
            <source>操作</source>
            <translation>Action</translation>
        </message>
        <message>
            <source>详情</source>
            <translation>Details</translation>
        </message>
        <message>
            <source>确认</source>
            <translation>Confirm</translation>
        </message>
        <message>
            <source>驳回</source>
            <translation>Refuse</translation>
        </message>
        <message>
            <source>轮次：</source>
            <translation>Round:</translation>
        </message>
        <message>
            <source>正在加载…</source>
            <translation>Loading…</translation>
        </message>
        <message>
            <source>此案件有您未提交的草稿：领取后恢复</source>
            <translation>You have an unsubmitted draft of this case: it is restored when you claim the case</translation>
        </message>
        <message>
            <source>（当前）</source>
            <translation>(current)</translation>
        </message>
        <message>
            <source>只读：您的角色不审核案件</source>
            <translation>Read-only: your role does not review cases</translation>
        </message>
        <message>
            <source>已提交，等待复核</source>
            <translation>Submitted, waiting for confirmation</translation>
        </message>
        <message>
            <source>待复核</source>
            <translation>To confirm</translation>
        </message>
        <message>
            <source>已办结：%1</source>
            <translation>Closed: %1</translation>
        </message>
        <message>
            <source>。请主管在“冲突”中处理。</source>
            <translation>. A supervisor settles it under Conflicts.</translation>
        </message>
        <message>
            <source>已被</source>
            <translation>Claimed by</translation>
        </message>
        <message>
            <source>领取已失效</source>
            <translation>The claim has expired</translation>
        </message>
        <message>
            <source>领取已失效：%1</source>
            <translation>The claim has expired: %1</translation>
        </message>
        <message>
            <source>附件在独立窗口中显示（%1 收回）</source>
            <translation>Attachments are shown in their own window (%1 brings them back)</translation>
        </message>
        <message>
            <source>无法打开案件：%1</source>
            <translation>Cannot open the case: %1</translation>
        </message>
        <message>
            <source>系统</source>
            <translation>System</translation>
        </message>
        <message>
            <source>至 %1</source>
            <translation>until %1</translation>
        </message>
        <message>
            <source>此案件已有结论（%1），您未提交的草稿已不再适用</source>
            <translation>This case has been decided (%1): your unsubmitted draft no longer applies</translation>
        </message>
        <message>
            <source>冲突：%1 的决定（%2）未被中心库接受</source>
            <translation>Conflict: the decision of %1 (%2) was not accepted by the central store</translation>
        </message>
        <message>
            <source>正在查看第 %1 轮（只读）：选回当前轮次才能作出决定</source>
            <translation>Viewing round %1 (read-only): choose the current round to decide</translation>
        </message>
        <message>
            <source>第 %1 轮  %2</source>
            <translation>Round %1  %2</translation>
        </message>
        <message>
            <source>第 %1 轮</source>
            <translation>Round %1</translation>
        </message>
        <message>
            <source>；现行决定：%1（%2）</source>
            <translation>; the decision that stands: %1 (%2)</translation>
        </message>
        <message>
            <source>正在查看第 %1 轮（只读）。自动发现只针对当前轮次。</source>
            <translation>Viewing round %1 (read-only). Automatic findings cover the current round only.</translation>
        </message>
        <message>
            <source>（已核对并忽略 %1 项错误发现：%2）</source>
            <translation>(checked and set aside %1 error findings: %2)</translation>
        </message>
        <message>
            <source>查看</source>
            <translation>Viewed</translation>
        </message>
        <message>
            <source>领取</source>
            <translation>Claimed</translation>
        </message>
        <message>
            <source>续期</source>
            <translation>Claim renewed</translation>
        </message>
        <message>
            <source>释放</source>
            <translation>Released</translation>
        </message>
        <message>
            <source>接管</source>
            <translation>Taken over</translation>
        </message>
        <message>
            <source>作出决定</source>
            <translation>Decided</translation>
        </message>
        <message>
            <source>复核</source>
            <translation>Confirmation</translation>
        </message>
        <message>
            <source>撤销</source>
            <translation>Undone</translation>
        </message>
        <message>
            <source>导入</source>
            <translation>Imported</translation>
        </message>
        <message>
            <source>打印通知书</source>
            <translation>Notice printed</translation>
        </message>
        <message>
            <source>通过</source>
            <translation>Approve</translation>
        </message>
        <message>
            <source>不通过</source>
            <translation>Reject</translation>
        </message>
        <message>
            <source>退回补充</source>
            <translation>Return for documents</translation>
        </message>
        <message>
            <source>已生效</source>
            <translation>in effect</translation>
        </message>
        <message>
            <source>已复核确认</source>
            <translation>confirmed</translation>
        </message>
        <message>
            <source>冲突</source>
            <translation>conflict</translation>
        </message>
        <message>
            <source>已被取代</source>
            <translation>superseded</translation>
        </message>
        <message>
            <source>已撤销</source>
            <translation>undone</translation>
        </message>
        <message>
            <source>复核驳回</source>
            <translation>refused on confirmation</translation>
        </message>
        <message>
            <source>监护关系</source>
            <translation>Guardianship</translation>
        </message>
        <message>
            <source>农房</source>
            <translation>Rural house</translation>
        </message>
        <message>
            <source>隔代亲属</source>
            <translation>Grandparents</translation>
        </message>
    </context>
    <context>
        <name>DecisionPanel</name>
        <message>
            <source>未找到该案件，或该案件不属于您负责的区县</source>
            <translation>Case not found, or not in your districts</translation>
        </message>
        <message>
            <source>未打开案件</source>
            <translation>No case open</translation>
        </message>
        <message>
            <source>不通过理由（数字键 1–9）</source>
            <translation>Rejection reasons (keys 1–9)</translation>
        </message>
        <message>
            <source>缺少的材料（数字键 1–9）</source>
            <translation>Missing documents (keys 1–9)</translation>
        </message>
        <message>
            <source>附件结论（V 切换当前附件）</source>
            <translation>Attachment verdicts (V changes the current one)</translation>
        </message>
        <message>
            <source>审核意见（Ctrl+E；选择「其他」时必填）</source>
            <translation>Comment (Ctrl+E; required with “Other”)</translation>
        </message>
        <message>
            <source>复核（四眼原则）</source>
            <translation>Confirmation (four eyes)</translation>
        </message>
        <message>
            <source>已恢复此案件未提交的草稿</source>
            <translation>The unsubmitted draft of this case was restored</translation>
        </message>
        <message>
            <source>此案件有错误发现</source>
            <translation>This case has error findings</translation>
        </message>
        <message>
            <source>仍要通过吗？通过将记录您已核对并决定忽略以上发现。</source>
            <translation>Approve anyway? The approval records that you checked the findings above and chose to set them aside.</translation>
        </message>
        <message>
            <source>仍然通过(&amp;Y)</source>
            <translation>Approve an&amp;yway</translation>
        </message>
        <message>
            <source>取消</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <source>正在提交…</source>
            <translation>Submitting…</translation>
        </message>
        <message>
            <source>已确认决定</source>
            <translation>Decision confirmed</translation>
        </message>
        <message>
            <source>已驳回，案件回到待审核</source>
            <translation>Refused: the case is pending again</translation>
        </message>
        <message>
            <source>已提交，等待复核</source>
            <translation>Submitted, waiting for confirmation</translation>
        </message>
        <message>
            <source>决定已撤销，案件回到待审核</source>
            <translation>Decision undone: the case is pending again</translation>
        </message>
        <message>
            <source>操作被拒绝：%1</source>
            <translation>Refused: %1</translation>
        </message>
        <message>
            <source>他人</source>
            <translation>someone else</translation>
        </message>
        <message>
            <source>已领取，至 %1</source>
            <translation>Claimed until %1</translation>
        </message>
        <message>
            <source>给家长的说明（Ctrl+N）</source>
            <translation>Note to the parents (Ctrl+N)</translation>
        </message>
        <message>
            <source>未打开案件：请先在队列中选择案件</source>
            <translation>No case open: select a case in the queue first</translation>
        </message>
        <message>
            <source>理由（可选，Ctrl+Alt+数字键）</source>
            <translation>Reasons (optional, Ctrl+Alt+digit)</translation>
        </message>
        <message>
            <source>通过时不能选择理由：不通过请按 R，退回补充请按 T</source>
            <translation>An approval takes no reasons: press R to reject, T to return</translation>
        </message>
        <message>
            <source>请勾选对应的缺少材料</source>
            <translation>Tick the missing documents</translation>
        </message>
        <message>
            <source>无法识别</source>
            <translation>Unreadable</translation>
        </message>
        <message>
            <source>请先选择：通过（A）、不通过（R）或退回补充（T）</source>
            <translation>First choose: approve (A), reject (R) or return (T)</translation>
        </message>
        <message>
            <source>已保存为冲突：提交时领取已不属于您，请主管处理</source>
            <translation>Saved as a conflict: the claim was no longer yours; a supervisor will resolve it</translation>
        </message>
        <message>
            <source>已被 %1 领取至 %2，只能查看</source>
            <translation>Claimed by %1 until %2: view only</translation>
        </message>
        <message>
            <source>提交并下一个（%1）</source>
            <translation>Submit and next (%1)</translation>
        </message>
        <message>
            <source>提交（%1）</source>
            <translation>Submit (%1)</translation>
        </message>
        <message>
            <source>确认（%1）</source>
            <translation>Confirm (%1)</translation>
        </message>
        <message>
            <source>驳回（%1）</source>
            <translation>Refuse (%1)</translation>
        </message>
        <message>
            <source>撤销决定（%1）</source>
            <translation>Undo decision (%1)</translation>
        </message>
        <message>
            <source>现在不能作出决定：%1</source>
            <translation>You cannot decide now: %1</translation>
        </message>
        <message>
            <source>未提交：请核对错误发现，或选择不通过、退回补充</source>
            <translation>Not submitted: check the error findings, or reject or return the case</translation>
        </message>
        <message>
            <source>操作失败：%1</source>
            <translation>Failed: %1</translation>
        </message>
        <message>
            <source>理由：</source>
            <translation>Reasons:</translation>
        </message>
        <message>
            <source>缺少：</source>
            <translation>Missing:</translation>
        </message>
        <message>
            <source>意见：</source>
            <translation>Comment:</translation>
        </message>
        <message>
            <source>%1 的决定待复核：请确认或驳回。</source>
            <translation>%1’s decision awaits confirmation: confirm or refuse it.</translation>
        </message>
        <message>
            <source>「%1」无法识别（%2），请重新拍摄清晰、完整的照片后上传。</source>
            <translation>“%1” is unreadable (%2); please take a clear, complete photo and upload it again.</translation>
        </message>
        <message>
            <source>已提交：%1</source>
            <translation>Submitted: %1</translation>
        </message>
        <message>
            <source>告知家长：%1</source>
            <translation>To the parents: %1</translation>
        </message>
        <message>
            <source>此案件有 %1 项错误发现：</source>
            <translation>This case has %1 error findings:</translation>
        </message>
        <message>
            <source>%1：%2（%3，%4）</source>
            <translation>%1: %2 (%3, %4)</translation>
        </message>
        <message>
            <source>已被 %holder 领取至 %until，只能查看</source>
            <translation>Claimed by %holder until %until: view only</translation>
        </message>
        <message>
            <source>您尚未领取此案件（或领取已过期），请重新打开案件</source>
            <translation>You have not claimed this case (or the claim expired): open the case again</translation>
        </message>
        <message>
            <source>此案件的领取已不属于您</source>
            <translation>The claim on this case is no longer yours</translation>
        </message>
        <message>
            <source>不通过须至少选择一项理由</source>
            <translation>A rejection needs at least one reason</translation>
        </message>
        <message>
            <source>选择「其他」理由时须填写审核意见</source>
            <translation>The reason “Other” needs a comment</translation>
        </message>
        <message>
            <source>退回补充须至少勾选一项缺少的材料</source>
            <translation>A return needs at least one missing document</translation>
        </message>
        <message>
            <source>所选材料不在本案件的材料清单中</source>
            <translation>The chosen document is not on this case's checklist</translation>
        </message>
        <message>
            <source>所选理由不适用于此类案件</source>
            <translation>The chosen reason does not apply to this kind of case</translation>
        </message>
        <message>
            <source>通过时不能选择不通过理由</source>
            <translation>An approval takes no rejection reasons</translation>
        </message>
        <message>
            <source>请选择：通过、不通过或退回补充</source>
            <translation>Choose: approve, reject or return</translation>
        </message>
        <message>
            <source>附件结论无效</source>
            <translation>Invalid attachment verdict</translation>
        </message>
        <message>
            <source>四眼原则：不能复核自己作出的决定，须由另一位主管复核</source>
            <translation>Four eyes: you cannot confirm your own decision; another supervisor must confirm it</translation>
        </message>
        <message>
            <source>案件当前为「%status」，不能进行此操作</source>
            <translation>The case is “%status” now: this cannot be done</translation>
        </message>
        <message>
            <source>您的角色无权进行此操作</source>
            <translation>Your role does not allow this</translation>
        </message>
        <message>
            <source>已超过可撤销的时限，不能撤销</source>
            <translation>Too late to undo</translation>
        </message>
        <message>
            <source>该决定的通知书已打印，不能撤销</source>
            <translation>The notice of this decision was printed: it cannot be undone</translation>
        </message>
        <message>
            <source>此案件没有等待复核的决定</source>
            <translation>No decision of this case awaits confirmation</translation>
        </message>
        <message>
            <source>此案件没有可撤销的决定</source>
            <translation>This case has no decision to undo</translation>
        </message>
        <message>
            <source>只有作出决定的审核员本人可以撤销</source>
            <translation>Only the reviewer who decided can undo</translation>
        </message>
        <message>
            <source>未找到该案件</source>
            <translation>Case not found</translation>
        </message>
        <message>
            <source>该决定已提交过且内容不同，请刷新后重试</source>
            <translation>This decision was already submitted with different content: refresh and try again</translation>
        </message>
        <message>
            <source>通过</source>
            <translation>Approve</translation>
        </message>
        <message>
            <source>不通过</source>
            <translation>Reject</translation>
        </message>
        <message>
            <source>退回补充</source>
            <translation>Return for documents</translation>
        </message>
        <message>
            <source>已生效</source>
            <translation>in effect</translation>
        </message>
        <message>
            <source>待复核</source>
            <translation>awaiting confirmation</translation>
        </message>
        <message>
            <source>已复核确认</source>
            <translation>confirmed</translation>
        </message>
        <message>
            <source>冲突</source>
            <translation>conflict</translation>
        </message>
        <message>
            <source>已被取代</source>
            <translation>superseded</translation>
        </message>
        <message>
            <source>已撤销</source>
            <translation>undone</translation>
        </message>
        <message>
            <source>复核驳回</source>
            <translation>refused on confirmation</translation>
        </message>
        <message>
            <source>未标记</source>
            <translation>Unmarked</translation>
        </message>
        <message>
            <source>清晰</source>
            <translation>Clear</translation>
        </message>
        <message>
            <source>不清晰</source>
            <translation>Unclear</translation>
        </message>
        <message>
            <source>材料不符</source>
            <translation>Wrong document</translation>
        </message>
        <message>
            <source>存疑</source>
            <translation>Doubtful</translation>
        </message>
    </context>
    <context>
        <name>FactsView</name>
        <message>
            <source>是</source>
            <translation>Yes</translation>
        </message>
        <message>
            <source>否</source>
            <translation>No</translation>
        </message>
        <message>
            <source>其他发现</source>
            <translation>Other findings</translation>
        </message>
        <message>
            <source>申请</source>
            <translation>Application</translation>
        </message>
        <message>
            <source>学校</source>
            <translation>School</translation>
        </message>
        <message>
            <source>入学</source>
            <translation>Enrolment</translation>
        </message>
        <message>
            <source>入学依据</source>
            <translation>Basis for enrolment</translation>
        </message>
        <message>
            <source>提交时间</source>
            <translation>Submitted</translation>
        </message>
        <message>
            <source>学生</source>
            <translation>Student</translation>
        </message>
        <message>
            <source>姓名</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>身份证号</source>
            <translation>ID number</translation>
        </message>
        <message>
            <source>监护人</source>
            <translation>Guardians</translation>
        </message>
        <message>
            <source>材料</source>
            <translation>Documents</translation>
        </message>
        <message>
            <source>抚养权 / 离婚</source>
            <translation>Custody / divorce</translation>
        </message>
        <message>
            <source>父母离异</source>
            <translation>Parents divorced</translation>
        </message>
        <message>
            <source>农房</source>
            <translation>Rural house</translation>
        </message>
        <message>
            <source>产权人</source>
            <translation>Owner</translation>
        </message>
        <message>
            <source>产权人身份证号</source>
            <translation>Owner’s ID number</translation>
        </message>
        <message>
            <source>与学生关系</source>
            <translation>Relation to the student</translation>
        </message>
        <message>
            <source>地址</source>
            <translation>Address</translation>
        </message>
        <message>
            <source>房屋类型</source>
            <translation>Kind of house</translation>
        </message>
        <message>
            <source>(外)祖父母</source>
            <translation>Grandparents</translation>
        </message>
        <message>
            <source>户籍地址</source>
            <translation>Registered address (hukou)</translation>
        </message>
        <message>
            <source>房产</source>
            <translation>Property</translation>
        </message>
        <message>
            <source>租赁备案</source>
            <translation>Registered rental</translation>
        </message>
        <message>
            <source>居住证</source>
            <translation>Residence permit</translation>
        </message>
        <message>
            <source>可识别</source>
            <translation>Readable</translation>
        </message>
        <message>
            <source>离婚日期</source>
            <translation>Divorce date</translation>
        </message>
        <message>
            <source>抚养权人</source>
            <translation>Custodial parent</translation>
        </message>
        <message>
            <source>抚养权文书</source>
            <translation>Custody document</translation>
        </message>
        <message>
            <source>家长说明</source>
            <translation>Parents’ statement</translation>
        </message>
        <message>
            <source>抚养权</source>
            <translation>Custody</translation>
        </message>
        <message>
            <source>电话</source>
            <translation>Phone</translation>
        </message>
        <message>
            <source>证号</source>
            <translation>Certificate no.</translation>
        </message>
        <message>
            <source>发证日期</source>
            <translation>Issued</translation>
        </message>
        <message>
            <source>性质</source>
            <translation>Nature</translation>
        </message>
        <message>
            <source>承租人</source>
            <translation>Tenant</translation>
        </message>
        <message>
            <source>起始</source>
            <translation>From</translation>
        </message>
        <message>
            <source>结束</source>
            <translation>To</translation>
        </message>
        <message>
            <source>办理日期</source>
            <translation>Registered on</translation>
        </message>
        <message>
            <source>有效期至</source>
            <translation>Valid until</translation>
        </message>
        <message>
            <source>与非直系亲属共有</source>
            <translation>Co-owned with non-lineal relatives</translation>
        </message>
        <message>
            <source>无法识别：%1</source>
            <translation>Unreadable: %1</translation>
        </message>
        <message>
            <source>原因未知</source>
            <translation>reason unknown</translation>
        </message>
        <message>
            <source>%1年%2月%3日</source>
            <translation>%1-%2-%3</translation>
        </message>
    </context>
    <context>
        <name>FindingsBanner</name>
        <message>
            <source>自动发现：</source>
            <translation>Findings:</translation>
        </message>
        <message>
            <source>收起或展开发现列表</source>
            <translation>Collapse or expand the list of findings</translation>
        </message>
        <message>
            <source>点击查看对应的材料事实或附件</source>
            <translation>Click to see the fact or attachment concerned</translation>
        </message>
        <message>
            <source>收起</source>
            <translation>Collapse</translation>
        </message>
        <message>
            <source>展开</source>
            <translation>Expand</translation>
        </message>
        <message>
            <source>自动发现：无</source>
            <translation>Findings: none</translation>
        </message>
    </context>
    <context>
        <name>print_preview</name>
        <message>
            <source>本区尚无可用的签名密钥，通知单不能签发。请管理员生成或复制密钥后再打印。</source>
            <translation>The district has no signing key yet, so notices cannot be issued. Ask an administrator to create or copy the key, then print again.</translation>
        </message>
        <message>
            <source>该案件还没有最终审核结论（待复核的结论不能打印）。</source>
            <translation>The case has no final decision yet (a decision awaiting confirmation cannot be printed).</translation>
        </message>
        <message>
            <source>该通知单已打印过，补打须填写原因。</source>
            <translation>This notice was printed before; a reprint needs a reason.</translation>
        </message>
        <message>
            <source>无法打印</source>
            <translation>Cannot print</translation>
        </message>
        <message>
            <source>预览之后通知单已有变化（其他工作站刚打印或改动了这些案件），没有记录，也没有打印。请关闭预览后重新打开。</source>
            <translation>The notices changed after the preview (another workstation just printed or changed these cases): nothing was recorded or printed. Close the preview and open it again.</translation>
        </message>
        <message>
            <source>补打通知单 {0}</source>
            <translation>Reprint notice {0}</translation>
        </message>
        <message>
            <source>打印通知单 {0}</source>
            <translation>Print notice {0}</translation>
        </message>
        <message>
            <source>没有符合条件、尚未打印的通知单。</source>
            <translation>No notices match that have not been printed yet.</translation>
        </message>
        <message>
            <source>找不到该案件（或不属于您的辖区）。</source>
            <translation>The case cannot be found (or is not in your districts).</translation>
        </message>
        <message>
            <source>无法打印。</source>
            <translation>Cannot print.</translation>
        </message>
    </context>
    <context>
        <name>Shortcuts</name>
        <message>
            <source>案件</source>
            <translation>Case</translation>
        </message>
        <message>
            <source>决定</source>
            <translation>Decision</translation>
        </message>
        <message>
            <source>附件查看</source>
            <translation>Viewing attachments</translation>
        </message>
        <message>
            <source>其他</source>
            <translation>Other</translation>
        </message>
        <message>
            <source>下一个案件</source>
            <translation>Next case</translation>
        </message>
        <message>
            <source>上一个案件</source>
            <translation>Previous case</translation>
        </message>
        <message>
            <source>打开队列中选中的案件</source>
            <translation>Open the case selected in the queue</translation>
        </message>
        <message>
            <source>搜索案件（回车或 ↓ 到结果）</source>
            <translation>Search cases (Enter or ↓ goes to the results)</translation>
        </message>
        <message>
            <source>切换队列标签页（待审核 … 冲突）</source>
            <translation>Switch queue tabs (Pending … Conflicts)</translation>
        </message>
        <message>
            <source>刷新队列</source>
            <translation>Refresh the queue</translation>
        </message>
        <message>
            <source>收起/展开队列（给附件更多宽度）</source>
            <translation>Hide/show the queue (more room for attachments)</translation>
        </message>
        <message>
            <source>离开输入框，回到决定面板</source>
            <translation>Leave the text box, back to the decision panel</translation>
        </message>
        <message>
            <source>通过</source>
            <translation>Approve</translation>
        </message>
        <message>
            <source>不通过</source>
            <translation>Reject</translation>
        </message>
        <message>
            <source>退回补充</source>
            <translation>Return for more</translation>
        </message>
        <message>
            <source>勾选/取消第 n 项（不通过：理由；退回：缺少的材料）</source>
            <translation>Tick/untick item n (reject: reasons; return: missing documents)</translation>
        </message>
        <message>
            <source>勾选/取消第 n 项理由（退回时）</source>
            <translation>Tick/untick reason n (when returning)</translation>
        </message>
        <message>
            <source>当前附件的结论：清晰 → 不清晰 → 材料不符 → 存疑 → 未标记</source>
            <translation>Verdict on the current attachment: clear → unclear → mismatch → doubtful → unmarked</translation>
        </message>
        <message>
            <source>填写审核意见</source>
            <translation>Write a comment</translation>
        </message>
        <message>
            <source>填写给家长的说明（退回时）</source>
            <translation>Write a note to the parents (when returning)</translation>
        </message>
        <message>
            <source>提交并打开下一个案件</source>
            <translation>Submit and open the next case</translation>
        </message>
        <message>
            <source>提交（留在本案件）</source>
            <translation>Submit (stay on this case)</translation>
        </message>
        <message>
            <source>撤销刚才的决定（回到该案件）</source>
            <translation>Undo the last decision (back to that case)</translation>
        </message>
        <message>
            <source>复核：确认决定</source>
            <translation>Confirmation: confirm the decision</translation>
        </message>
        <message>
            <source>复核：驳回决定</source>
            <translation>Confirmation: refuse the decision</translation>
        </message>
        <message>
            <source>下一个附件</source>
            <translation>Next attachment</translation>
        </message>
        <message>
            <source>上一个附件</source>
            <translation>Previous attachment</translation>
        </message>
        <message>
            <source>放大</source>
            <translation>Zoom in</translation>
        </message>
        <message>
            <source>缩小</source>
            <translation>Zoom out</translation>
        </message>
        <message>
            <source>适合页面</source>
            <translation>Fit page</translation>
        </message>
        <message>
            <source>适合宽度</source>
            <translation>Fit width</translation>
        </message>
        <message>
            <source>实际大小（1:1）</source>
            <translation>Actual size (1:1)</translation>
        </message>
        <message>
            <source>向右旋转 90°（只旋转显示）</source>
            <translation>Rotate 90° right (display only)</translation>
        </message>
        <message>
            <source>向左旋转 90°（只旋转显示）</source>
            <translation>Rotate 90° left (display only)</translation>
        </message>
        <message>
            <source>调亮并增强对比（偏暗的照片）</source>
            <translation>Brighten and add contrast (dark photos)</translation>
        </message>
        <message>
            <source>亮度、对比度还原</source>
            <translation>Reset brightness and contrast</translation>
        </message>
        <message>
            <source>对比两个附件（开/关）</source>
            <translation>Compare two attachments (on/off)</translation>
        </message>
        <message>
            <source>对比时换右侧附件</source>
            <translation>Change the right-hand attachment when comparing</translation>
        </message>
        <message>
            <source>附件在独立窗口中显示（第二块屏幕）/收回</source>
            <translation>Show attachments in their own window (second screen) / bring back</translation>
        </message>
        <message>
            <source>切换 材料事实 / 审核记录</source>
            <translation>Switch between Facts / History</translation>
        </message>
        <message>
            <source>打印当前案件的通知书（先预览）</source>
            <translation>Print the current case's notice (preview first)</translation>
        </message>
        <message>
            <source>督导台：积压、进度与理由（主管、管理员）</source>
            <translation>Supervisor desk: backlog, progress and reasons (supervisors, admins)</translation>
        </message>
        <message>
            <source>审计日志：筛选、校验日志链、导出（主管、管理员）</source>
            <translation>Audit log: filter, verify the chain, export (supervisors, admins)</translation>
        </message>
        <message>
            <source>快捷键一览</source>
            <translation>Keyboard shortcuts</translation>
        </message>
        <message>
            <source>退出</source>
            <translation>Quit</translation>
        </message>
    </context>
</TS>
