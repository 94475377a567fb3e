<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
    <context>
        <name>AttachmentsPane</name>
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
            <source>开始打印</source>
            <translation>Print</translation>
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
            <source>已生成 {0} 份通知单（编号 {1}）</source>
            <translation>Generated {0} notices (numbers {1})</translation>
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
            <source>已取消：没有记录任何通知单。</source>
            <translation>Cancelled: no notice was recorded.</translation>
        </message>
        <message>
            <source>内部错误：{0}</source>
            <translation>Internal error: {0}</translation>
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
        <message>
            <source>无法连接数据库：%1</source>
            <translation>Cannot connect to the database: %1</translation>
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
            <source>数据库正忙（其他人的操作占用了同一数据），这次操作没有保存，请再试一次。（%1）</source>
            <translation>The database was busy with someone else's change to the same data; this action was not saved. Please try again. (%1)</translation>
        </message>
        <message>
            <source>数据库暂时无法访问：%1。请稍后重试；如持续出现，请联系管理员。</source>
            <translation>The database cannot be reached right now: %1. Try again shortly; if it persists, contact your administrator.</translation>
        </message>
        <message>
            <source>文件或磁盘错误：%1</source>
            <translation>File or disk error: %1</translation>
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
            <source>审核(&amp;R)</source>
            <translation>&amp;Review</translation>
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
            <source>已保存到 {0}</source>
            <translation>Saved to {0}</translation>
        </message>
        <message>
            <source>打印通知单</source>
            <translation>Print notice</translation>
        </message>
        <message>
            <source>打印机无法开始打印</source>
            <translation>The printer could not start printing</translation>
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
            <source>搜索 姓名 / 身份证号 / 案件编号  (Ctrl+F)</source>
            <translation>Search name / ID number / case no.  (Ctrl+F)</translation>
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
            <source>%1
（无法读取）</source>
            <translation>%1
(unreadable)</translation>
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
            <source>复核（四眼原则）</source>
            <translation>Confirmation (four eyes)</translation>
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
            <source>审核意见（Ctrl+E；选择「其他」时必填）</source>
            <translation>Comment (Ctrl+E; required with “Other”)</translation>
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
            <source>决定已撤销，案件回到待审核</source>
            <translation>Decision undone: the case is pending again</translation>
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
            <source>现在不能作出决定：%1</source>
            <translation>You cannot decide now: %1</translation>
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
            <source>%1：%2（%3，%4）</source>
            <translation>%1: %2 (%3, %4)</translation>
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
        <name>print_preview</name>
        <message>
            <source>打印通知单 {0}</source>
            <translation>Print notice {0}</translation>
        </message>
        <message>
            <source>补打通知单</source>
            <translation>Reprint notice</translation>
        </message>
        <message>
            <source>无法打印</source>
            <translation>Cannot print</translation>
        </message>
        <message>
            <source>{0} 的通知单已打印过（第 {1} 份，编号 {2}）。
补打原因：</source>
            <translation>The notice for {0} was already printed (copy {1}, number {2}).
Reason for reprinting:</translation>
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
            <source>搜索案件</source>
            <translation>Search cases</translation>
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
            <source>撤销刚才的决定</source>
            <translation>Undo the decision just made</translation>
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
            <source>快捷键一览</source>
            <translation>Keyboard shortcuts</translation>
        </message>
    </context>
</TS>
