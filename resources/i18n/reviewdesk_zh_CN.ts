<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="zh_CN">
    <context>
        <name>AttachmentsPane</name>
        <message>
            <source>PDF 文档</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>第 %1/%2 页</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>对比：</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>对比时右侧显示的附件（Shift+C 切换）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>（结论：%1）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>没有附件</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>显示时出错</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>清晰</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>不清晰</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>材料不符</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>存疑</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>AuditDialog</name>
        <message>
            <source>裁决冲突</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>登录</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>登录失败</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>账户锁定中登录</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>新增用户</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>修改密码</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>停用用户</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>生成区县密钥</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>更换区县密钥</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>吊销区县密钥</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>发布政策</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>转派案件</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>暂停账号</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>恢复账号</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>抽查抽取</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>抽查复查</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>处理抽查分歧</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>导出结论</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>导出结论（完整身份证号）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>领取至 {until}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>续期至 {until}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>接管（原领取人 {holder}），原因：{reason}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>转派给 {to}（原领取人 {holder}），原因：{reason}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>释放（原领取人 {holder}），原因：{reason}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>（{state}）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>；理由 {codes}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>；缺少 {codes}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>；忽略 {count} 项错误发现</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>复核确认</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>复核驳回</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>：{comment}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>撤销决定</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>裁决为{outcome}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>导入第 {round} 轮材料，附件 {count} 个</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>通知书 {serial}，第 {copy} 份</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>（补打：{reason}）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>账号 {username}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>：{reason}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>；锁定至 {until}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{username}（{name}，{role}）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>，区县 {districts}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>区县 {district} 第 {key} 号密钥</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>写入 {written} 项，删除 {removed} 项</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>账号 {username}，原因：{reason}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>区县 {district}：考虑 {considered} 件，抽取 {drawn} 件</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>，{count} 件无人可复查</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>同意</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>不同意：{comment}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>维持原通过决定</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>改判为{outcome}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{start} 至 {end}，{rows} 行，{file}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>（内容无法读取）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>用户不存在</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>密码错误</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>账户已停用</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>本机没有离线登录凭据</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>案件编号</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>人员</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>操作</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>序号</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>时间</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>工作站</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>摘要</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>审计日志</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>账号或姓名</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>全部操作</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>查询</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>清除</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>从</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>到</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>选中一条，这里显示它记录的全部内容</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>校验</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>从第一条起核对整条日志链（哈希、衔接、密钥标记）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>跳到该条</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>从被改动的那一条起列出日志</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>导出 CSV…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>把符合筛选条件的全部条目（不只是已列出的）存为 CSV</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>不限</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>操作列表读取失败</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>正在读取…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>没有符合条件的条目。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>共 %1 条。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已列出 %1 条，向下滚动读取更多。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>从第 %1 条起列出（更新的条目未列出，按 查询 回到最新）。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>日志读取失败</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1：发生内部错误，已记录日志。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1：%2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>第 %1 条　%2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>人员：%1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>工作站：%1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>操作：%1（%2）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>案件：%1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>摘要：%1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>校验：日志链从这一条起不再完整</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>正在校验日志链…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>链完整：已校验 %1 条</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>（其中 %1 条写于启用密钥之前，只由哈希链担保）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>校验未通过：%1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>第 %1 条起被改动：%2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>发生内部错误，已记录日志。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>未能校验：%1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>第 %1 条不在您可查看的范围内（它属于您负责区县以外的案件或人员）。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>导出审计日志</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>CSV 文件 (*.csv)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>正在导出审计日志…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>取消</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>导出 CSV</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>正在取消导出…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已导出 %1 条到 %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已取消导出，没有留下文件。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>导出失败</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>正在校验日志链… %1 / %2 条</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已取消。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>筛选条件</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>起始日期晚于结束日期：请重新选择日期。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>审计日志仅供主管和管理员查看。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>操作被拒绝：%1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 含有空字符（NUL），请重新输入。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>无法写入该位置：%1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>、</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 太长（%2 个字符）：请输入案件编号、账号或姓名，最多 %3 个字符。</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>BarChart</name>
        <message>
            <source>其他 %1 项</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>BatchPrintDialog</name>
        <message>
            <source>批量打印通知单</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>全部学校</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>全部类别</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>全部结论</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>留空：已打印过的案件跳过</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>审核日期</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>学校</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>材料类别</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>审核结论</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>补打原因</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>生成预览后，在预览中打印或另存为 PDF 时才登记通知单编号。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>生成预览</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已生成 {0} 份通知单的预览（编号 {1}），打印或另存为 PDF 时登记</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已取消：没有登记任何通知单。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>取消</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>正在生成通知单…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>停止</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>正在停止…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>关闭</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>；{0} 个已打印过的案件已跳过</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>批量打印预览（{0} 份）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>内部错误：{0}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>通过</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>不通过</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>退回补充</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>CheckoutDialog</name>
        <message>
            <source>现场审核签出</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>签出后，该学校待审核的案件在签出时限内归您审核，附件图片会下载到本机，到现场后即使没有网络也能审核。回到网络后结论会自动上传。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>正在读取学校…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source> 小时</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>学校：</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>签出时限：</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>开始签出</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>取消</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>您负责的辖区内没有学校。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>无法读取学校：%1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>正在同步并签出 %1…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>关闭</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已签出 %1 个案件，%2 个已被他人领取</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>无法签出：%1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>无法签出：中心库无法连接（%1）。请连接网络后重试。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>无法签出：发生内部错误，已记录日志。</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>CompareView</name>
        <message>
            <source>联动缩放</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>开启后，两侧一起放大、缩小和移动</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ConflictsDialog</name>
        <message>
            <source>通过</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>不通过</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>退回补充</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>冲突（未生效）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已生效</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>待复核</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已复核</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已被取代</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已撤销</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>冲突</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>离线审核的结论到达中心库时，该案件已由他人审核。两份结论都已保留，以下“现行结论”目前有效；裁决会以新的结论取代二者。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>没有未解决的冲突</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>未解决的冲突</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>冲突的结论（未生效）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>现行结论</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>需由复核员（主管）裁决</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>刷新</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>裁决</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>不通过理由：</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>缺少的材料：</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>裁决说明（选择“其他”理由时必填）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>正在读取冲突…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>无法读取冲突：%1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>未选择冲突</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>案件 %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>请选择裁决结论</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>不通过须至少选择一项理由</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>退回补充须至少勾选一项缺少的材料</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>所选理由须填写说明</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>裁决后，新的结论取代两份原结论</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>正在裁决 %1…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 已裁决。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>无法裁决：%1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>无法裁决：发生内部错误，已记录日志。</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>CrashHandler</name>
        <message>
            <source>程序内部出现了错误。您可以继续工作。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>详细信息已记录在：
%1
如果问题反复出现，请把这个文件发给管理员。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>日志无法写入磁盘，详细信息已输出到控制台。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>内部错误</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>DecisionSideView</name>
        <message>
            <source>结论：</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>理由：</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>审核员：</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>设备时间：</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>入库时间：</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>领取令牌：</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>状态：</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>（无现行结论）</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>DeskDialog</name>
        <message>
            <source>通过</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>不通过</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>退回补充</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>督导台</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>正在读取…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>刷新</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>重新统计（F5）；打开时每分钟自动刷新</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>导出结论…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>一段时间内已审结的案件（每轮一行）存为 Excel 或 CSV，报送市平台</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>导出积压…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>待办案件</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>最久等待</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>距审核截止</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>通过 / 不通过 / 退回</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>认领到决定（中位数）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>冲突 / 隔离</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>区</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>学校</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>类型</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>状态</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>案件数</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>最早提交</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>等待天数</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>审核截止</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>剩余天数</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>积压</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>审核人</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>认领中</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>今日</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>近7日</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>本季合计</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>结论</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>最常用的理由</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>理由</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>次数</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>占比</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>结论与理由</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>统计读取失败：%1。稍后自动重试，或按 刷新。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>统计截至 %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 天</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>未设定</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>招生政策未设定审核截止日期</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>逾期 %1 天</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>共 %1 个决定</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>待主管裁决 / 中心库拒收</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>没有待办案件</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>（已暂停）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>近两周每日决定数（全部审核人；选中一行只看此人）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>近两周每日决定数：%1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>还没有决定</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>还没有用过理由</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>通用</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>不到 1 分钟</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>今天截止（%1）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1小时%2分</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>还剩 %1 天（%2）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1天%2小时</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已逾期 %1 天（%2）</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>DeskExports</name>
        <message>
            <source>导出审核结论</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>正在导出审核结论…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>取消</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>正在取消导出…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>正在导出审核结论… %1 / %2 行</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已导出 %1 行到 %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已取消导出，没有留下文件。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>导出失败：%1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>导出积压</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已导出 %1 组积压到 %2</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>DetachedAttachmentsWindow</name>
        <message>
            <source>附件</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>附件 — %1</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>GuiSession</name>
        <message>
            <source>正在打开数据库…（首次运行时会生成演示数据，需要一些时间）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>审核工作台</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>正在生成演示数据：%1 / %2 个案件</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>无法打开数据库</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>无法打开数据库：%1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>演示数据已全部导入（%1 个案件）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>正在后台导入演示数据：%1 / %2 个案件，可以先开始审核</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ImageLoader</name>
        <message>
            <source>附件尚未下载到本机，请稍后再试</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ImageViewer</name>
        <message>
            <source>缩小</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>缩小（−）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>放大</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>放大（+）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>适合页面</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>整张图片显示在窗口内</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>适合宽度</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>图片宽度与窗口一致</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>实际大小</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>按原图 1:1 显示</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>左转</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>向左旋转 90°（只旋转显示）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>右转</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>向右旋转 90°（只旋转显示）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>亮度/对比度</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>调亮偏暗的照片，增强文字与背景的反差</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>亮度</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>对比度</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>还原</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>亮度、对比度恢复原样</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>退回补拍</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>请家长重新拍摄并上传此材料</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>“%1”无法显示</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>Labels</name>
        <message>
            <source>中文</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>监护关系</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>农房</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>隔代亲属</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>幼升小</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>小升初</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>通过</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>不通过</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>退回补充</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已生效</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>待复核</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已复核确认</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>冲突</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已被取代</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已撤销</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>复核驳回</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>未标记</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>清晰</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>不清晰</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>材料不符</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>存疑</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>查看</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>领取</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>续期</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>释放</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>接管</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>作出决定</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>复核</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>撤销</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>导入</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>打印通知书</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>裁决</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>签出</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>审核员</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>复核员</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>管理员</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>本人</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>学生</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>父亲</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>母亲</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>其他监护人</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>祖父</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>祖母</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>外祖父</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>外祖母</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>产权人</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>孙</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>外孙</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>不动产权证</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>房产证</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>土地使用证</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>网签合同</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>拆迁协议</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>住宅</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>非住宅</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>军房</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>农民公寓</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>单位房</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>父母房产</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>(外)祖父母房产</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>（外）祖父母房产</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>租赁备案</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>居住证</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>离婚证</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>离婚协议书或法院判决书/调解书（含抚养权条款）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>离婚协议书</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>法院判决书</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>民事判决书</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>调解书</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>民事调解书</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>户口簿首页</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>户口簿本人页</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>户口簿（祖父母页）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>户口簿祖父母页</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>户口簿（外祖父母页）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>户口簿外祖父母页</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>农房证明</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>宅基地证</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>村委会证明</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>拆迁安置协议</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>出生医学证明</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>亲属关系证明</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>派出所亲属关系证明</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>村（居）委会亲属关系证明</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>不动产权证书</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>租赁备案证明</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>居住证明</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>材料照片不清晰</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>材料与填报信息不符</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>材料类型错误</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>材料疑似涂改或伪造</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>其他（见审核意见）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>未载明抚养权归属</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>抚养权归另一方</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>无离婚证明</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>产权人非直系亲属</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>缺少农房证明</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>房产三年内已被其他家庭使用</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>拆迁协议超过有效期</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>不能证明隔代直系亲属关系</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>祖辈身份信息不符</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>居住证已过期</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>上传的材料照片不清晰，无法辨认关键信息，请重新拍摄清晰、完整的照片后上传。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>上传的材料与填报信息不一致（姓名、身份证号或地址等），请核对后重新提交。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>上传的材料不是所要求的证明文件，请按要求上传正确的材料。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>上传的材料存在疑点，请携带原件到区县教育部门现场审核。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>其他原因（见审核意见）。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>离婚协议书或法院判决书/调解书中未明确子女抚养权归属，请提交载明抚养权的材料。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>材料显示子女抚养权归另一方监护人，请由具有抚养权的监护人登录提交。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>未能提供离婚证明材料，无法确认监护关系变更。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>农房产权人与学生不是直系亲属关系，该农房不能作为入学依据。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>缺少村（居）委会出具的农房证明或宅基地证明，请补充。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>该房产三年内已作为其他家庭适龄儿童少年的入学依据，不能再次使用。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>拆迁安置协议已超过三年有效期，不能作为入学依据。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>所提交材料不能证明（外）祖父母与学生的直系亲属关系。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>（外）祖父母身份信息与户口簿或证明材料不一致，请核对后重新提交。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>居住证不在有效期内，请续签后重新提交。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>文件是空的（0 字节），上传没有成功，请重新上传</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>图片文件不完整（上传时被截断），请重新上传</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>图片文件已损坏，打不开，请重新拍照上传</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>图片的尺寸大得异常，无法打开，请用手机正常拍照后重新上传</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>上传的不是照片，而是一个网页文件，请重新选择照片上传</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>上传的不是照片，而是一个文字文件，请重新选择照片上传</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>无法识别文件格式，请拍照后以 JPG 或 PNG 图片上传</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>上传的不是照片，而是一个数据文件，请重新选择照片上传</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>上传的是压缩包或 Word、Excel 等办公文档，请拍照或导出为 PDF 后重新上传</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>上传的是视频，不是照片，请拍照后重新上传</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>PDF 文件设置了打开密码，无法查看，请上传没有密码的 PDF，或拍照上传</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>PDF 文件不完整（上传时被截断），请重新上传</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>PDF 文件已损坏，打不开，请重新上传，或拍照上传</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>PDF 文件里没有任何页面，请重新上传</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>不是 PDF 文件</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>文件为空</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>图片文件不完整（截断）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>图片文件已损坏，无法解码</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>图片尺寸过大（可能是解压炸弹）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>不是图片文件（内容为 HTML）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>不是图片文件（内容为文本）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>不是图片文件（无法识别的格式）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>不是图片文件（内容为 JSON 文本）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>不是图片文件（内容为 PDF 文档）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>不是图片文件（内容为压缩包或 Office 文档）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>不是图片文件（内容为视频）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>文件不存在</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>没有读取该文件的权限</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>不是普通文件，无法读取</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>无法读取文件</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>原因未知</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>无法识别的文件</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>文件太大（%size MB，最大 %limit MB），请压缩或降低分辨率后重新上传</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>不支持 %format 格式的图片，请以 JPG 或 PNG 图片重新上传</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>PDF 共 %count 页，超过 %limit 页的上限，请只上传需要的页面</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>PDF 第 %page 页的尺寸异常（%width×%height 毫米），无法显示，请按 A4 等常规纸张重新上传</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>无法读取文件（%detail）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>文件过大（%size MB，上限 %limit MB）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>不支持的图片格式：%format</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>身份证号无效</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>身份证号中的出生日期有误</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>身份证号的地区码不在代码表中</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>招生政策与案件不符</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>学生未满入学年龄</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>学生超过年龄上限</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>祖辈与学生年龄相差过小</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>房产证明办理日期晚于截止日期</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>租赁备案时间不足</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>居住证办理时间不足</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>房产已被其他家庭用作入学依据</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>缺少必需材料</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>附件无法识别</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>学生另有未办结案件</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>错误</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>警告</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>提示</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>格式错误（应为17位数字加1位数字或X）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>校验码错误</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>出生日期无效</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>案件城市为%city，但使用的是%policy_city的招生政策（%policy）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>案件入学年度为%year年，但使用的是%policy_year年的招生政策（%policy）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>招生政策 %policy 未规定%stage的年龄要求，无法核对年龄</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%who的身份证号 %masked %problem</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%who的身份证号中的出生日期 %digits 不是有效的出生日期</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%who的身份证号中的出生日期%born晚于今天（%today）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%who的身份证号 %masked 的地区码 %region 不在行政区划代码表中，可能是已撤销、更名或新设的地区码，不影响号码有效性，请留意核对</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>学生出生于%born，到%ref为%age周岁，未满%stage入学年龄%min周岁，本年度不予采集</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>学生出生于%born，到%ref为%age周岁，超过%stage年龄上限%max周岁，请核对身份证号是否填写有误</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%who出生于%born，学生出生于%student_born，年龄仅相差%gap岁（少于%min岁），请核实隔代关系及身份证号</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%cert（%number）办理日期为%issued，晚于截止日期%cutoff</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>租赁备案（%number）起始于%start，租期至%end已结束不满%months个月</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>租赁备案（%number）起始于%start，至截止日期%cutoff不满%months个月</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%holder的居住证（%number）办理于%start，至截止日期%cutoff不满%months个月</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%holder的居住证（%number）有效期至%until，早于截止日期%cutoff</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%holder的居住证（%number）有效期至%until，早于提交日期%submitted，提交时已不在有效期内</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%holder的居住证（%number）有效期至%until，今天（%today）已过期</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%cert（%number）已于%year年被其他家庭（案件 %case）用作入学依据，%years年内只能作为一个家庭的招生依据</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%cert（%number）：该证号在另一区县 %year 年的案件中使用，%years年内只能作为一个家庭的招生依据，请核实</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>拆迁协议（%number）签订于%signed，至截止日期%cutoff已超过%years年有效期</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>缺少必需材料：%label（可接受：%labels）；已上传的%count份无法识别</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>缺少必需材料：%label（可接受：%labels）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>附件「%label」（%file）无法识别：%reason</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>附件「%label」无法识别：%reason</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>学生%name（%masked）另有%count个未办结案件：%cases</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>数据库正忙（其他人的操作占用了同一数据），这次操作没有保存，请再试一次。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>数据库文件已损坏，无法安全读写。请联系管理员用最近的备份恢复。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>数据库所在的磁盘已满，这次操作没有保存。请腾出空间后再试。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>数据库暂时无法访问。请稍后重试；如持续出现，请联系管理员。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>数据库出现问题。请稍后重试；如持续出现，请联系管理员。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>磁盘已满，这次操作没有保存。请腾出空间后再试。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>磁盘配额已用完，这次操作没有保存。请腾出空间后再试。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>磁盘是只读的，无法写入</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>没有权限</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>文件或文件夹不存在</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>这是一个文件夹，不是文件</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>路径中有一段不是文件夹</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>文件已存在</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>读写磁盘时出错</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>打开的文件过多</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>文件名过长</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>、</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>文件或磁盘错误</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>另一区县的%1个案件</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>SQLite 文件 %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>PostgreSQL 服务器 %1，数据库 %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1：%2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1%2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1年%2月%3日</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>LoginDialog</name>
        <message>
            <source>审核员</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>复核员</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>管理员</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>登录 — 审核工作台</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>审核工作台</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>入学补充材料审核</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>用户名</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>密码</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>登录</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>退出</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>核验通知单(&amp;V)…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>演示数据：可用以下账户登录（点击填入）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>角色</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>正在登录…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>请输入用户名和密码。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>登录时发生内部错误，已记录日志。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>连续登录失败次数过多，账户已锁定，%1 后解锁。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>用户名或密码错误。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>账户已停用，请联系管理员。</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>MainWindow</name>
        <message>
            <source>审核员</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>复核员</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>管理员</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>案件不存在，或不在您负责的辖区。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>审核工作台 ReviewDesk — %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>文件(&amp;F)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>设置…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>工作(&amp;W)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>刷新队列</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>搜索</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>注销</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>退出</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>查看(&amp;V)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>收起队列</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>收起队列，给附件更多宽度；再按一次展开</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>审核(&amp;R)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>撤销上一个决定</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>在时限内撤销刚才作出的决定，并回到该案件</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>冲突…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>离线结论与他人结论冲突的案件：查看与裁决</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>现场签出…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>签出一所学校的案件，到现场离线审核</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>现场签出需要中心库：请在 文件 → 设置 中填写中心库地址并重新启动</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>督导台…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>积压、审核进度、结论与理由（主管、管理员）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>审计日志…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>审计日志：按案件、人员、操作、日期筛选，校验日志链，导出 CSV</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>抽查…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>复查抽给您的他人通过案件；主管抽取、裁决分歧、查看报告</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>冲突</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>打印(&amp;P)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>打印通知书</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>批量打印…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>帮助(&amp;H)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>快捷键</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>关于</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>» 队列</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>展开队列（Ctrl+B）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已是本标签页的最后一个案件。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已是本标签页的第一个案件。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>没有可撤销的决定：本窗口中还没有作出决定。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>正在撤销 %1 的决定…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已撤销 %1 的决定：案件回到待审核，可以重新作出决定。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>不能撤销 %1 的决定：%2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>打印当前案件的审核结论通知书</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>当前案件还没有最终结论（已通过、未通过或已退回）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>中心库设置已保存，重新启动程序后生效。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>发生内部错误，已记录日志。可以继续工作。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>界面语言将在重新启动后切换。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>有未提交的草稿</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>以下 %1 个案件有未提交的草稿，关闭后将丢失：</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>丢弃草稿并关闭</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>返回继续审核</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>展开队列</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>J / ↓  下一个案件
K / ↑  上一个案件
Enter  打开案件
Ctrl+F  搜索
F5  刷新队列
Alt+1…7  切换标签页</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>审核工作台 ReviewDesk
入学补充材料审核</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>版本 %1</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>MessageBar</name>
        <message>
            <source>关闭</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>OverflowToolBar</name>
        <message>
            <source>更多工具</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>PeriodDialog</name>
        <message>
            <source>导出审核结论</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>从</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>到</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>完整身份证号（记入审计日志）</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>PrintPreviewDialog</name>
        <message>
            <source>打印预览</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>上一页</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>下一页</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>适合宽度</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>另存为 PDF…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>打印…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>缩放</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>正在生成预览…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>预览不计为打印：点“打印…”或“另存为 PDF…”时才登记编号。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>这是补打（%1），打印时须填写补打原因。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>正在打印，请等待打印完成后再关闭。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>第 {0} 页，共 {1} 页</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>无法显示此 PDF：{0}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>另存为 PDF</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>正在保存…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>保存失败：{0}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>保存失败</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>没有记录打印。请换一个位置或检查磁盘后再试。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已保存到 {0}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>打印通知单</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>这台电脑没有安装打印机，通知单没有打印，也没有登记。
可以“另存为 PDF”，再到有打印机的电脑上打印；或请管理员安装打印机后再试。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>没有找到打印机</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>取消</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>补打通知单</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>{0} 的通知单已打印过，这一份是补打。
补打原因：</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>补打须填写原因：没有打印，也没有登记。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>正在登记通知单…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已登记：编号 %1。再次打印请重新打开预览（将作为补打）。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>内部错误：{0}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>无法打印</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>打印机无法开始打印</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>（通知单已登记：请以补打重新打印）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已发送 {0} 页到打印机</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>打印失败：{0}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>正在打印 {0}/{1}…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>打印机拒绝了新的一页</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>QAbstractFileIconProvider</name>
        <message>
            <source>Drive</source>
            <translation>驱动器</translation>
        </message>
    </context>
    <context>
        <name>QFileDialog</name>
        <message>
            <source>&amp;Look in:</source>
            <translation>查找范围(&amp;L)：</translation>
        </message>
        <message>
            <source>Files of &amp;type:</source>
            <translation>文件类型(&amp;T)：</translation>
        </message>
    </context>
    <context>
        <name>QPrintSettingsOutput</name>
        <message>
            <source>Page &amp;Set:</source>
            <translation>页面范围(&amp;S)：</translation>
        </message>
        <message>
            <source>Page &amp;order:</source>
            <translation>页序(&amp;O)：</translation>
        </message>
        <message>
            <source>Pages &amp;per sheet:</source>
            <translation>每张页数(&amp;P)：</translation>
        </message>
    </context>
    <context>
        <name>QaDialog</name>
        <message>
            <source>抽查</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>他人通过的案件，抽给您复查（双击打开案件）：</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>案件编号</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>类型</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>学校</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>审核人</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>通过时间</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>意见（不同意时必填）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>同意</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>不同意</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>我的抽查</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>留空则自动生成；填写以前的种子可复现抽取</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>种子</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>抽取</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>抽查人</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>抽查意见</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>维持（原通过结论有效）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>改判：以主管的结论取代原通过结论</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>不通过</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>退回补充</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>结论</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>理由</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>缺少材料</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>说明</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>改判</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>分歧</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>通过</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>被抽查</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已复查</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>分歧率</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>被改判</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>导出报告…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>把分歧报告存为 Excel 或 CSV</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>报告</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>导出报告</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已导出 %1 位审核人的报告到 %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>我的抽查（%1）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已抽取 %1 件（共 %2 件通过案件参与抽取）。种子：%3</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>无其他审核员可分配：%1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>请先选择一个案件。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已记录对 %1 的复查意见。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>请先选择一个分歧。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>维持</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1：已%2。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>操作未完成：%1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>无法连接中心库：抽查须联网进行，本次未作任何更改</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>本机没有您在中心库的有效凭证：请联网后重新登录</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>您的账号已被主管暂停</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>您的角色无权进行此操作</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>中心库拒绝：您的账号无权在该区县进行此操作</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>该案件不属于本工作站负责的区县</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>该案件未被抽中，或抽查记录尚未同步到本机</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>该抽查案件不是分配给您的</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>您已对该案件给出复查意见</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>被抽查的通过决定已不再有效</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>不同意时须填写理由</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>该案件没有待处理的抽查分歧</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>该分歧已处理</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>四眼原则：不能处理对自己所作通过决定的分歧</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>改判须选择不通过或退回补充；要保留原决定请选「维持」</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>改判须选择新的结论</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>随机种子无效：请使用字母和数字，最多 128 个字符</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>抽查比例无效：须在 0 到 100 之间</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>意见过长：最多 2,000 字</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>意见中含有无法保存的控制字符，请删除后重试</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>QuarantineDialog</name>
        <message>
            <source>审核结论</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>打印记录</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>隔离的上传项</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>这些记录被中心库拒绝，不会再自动重试。请把错误信息告知管理员；本机的记录仍然保留。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>类型</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>编号</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>错误</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>QueueModel</name>
        <message>
            <source>监护关系</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>农房</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>隔代亲属</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>错误</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>警告</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>提示</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1天%2小时</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1小时</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1分钟</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>案件编号</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>类型</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>学生</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>学校</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>提交时间</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>等待时长</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>发现</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>状态</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>处理人</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>此列不排序</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 处理中，至 %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>待审核</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>待复核</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已通过</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>未通过</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已退回</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>QueueView</name>
        <message>
            <source>待审核</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>我的</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>待复核</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已通过</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>未通过</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已退回</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>冲突</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>全部发现</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>有错误</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>警告及以上</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>有任何发现</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>全部类型</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>全部学校</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>等待 ≥ </source>
            <translation type="unfinished" />
        </message>
        <message>
            <source> 天</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>等待时长不限</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>搜索 姓名 / 身份证号（或末 4 位）/ 案件编号  (Ctrl+F)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>回车或 ↓：到搜索结果</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>收起队列，给案件更多宽度（Ctrl+B）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>正在加载…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>没有符合条件的案件</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>SettingsDialog</name>
        <message>
            <source>设置</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>留空则为单机模式。更改在重新启动程序后生效。命令行参数 --central 和环境变量 REVIEWDESK_CENTRAL 优先于此处的设置。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>当前使用：%1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>单机模式</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>中心库地址：</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ShortcutSheet</name>
        <message>
            <source>快捷键一览</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>类别</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>按键</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>操作</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>StationSettingsDialog</name>
        <message>
            <source>核验站设置</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>与通知单上的学校名称一致</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>例如：东门登记处</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>本校名称(&amp;S)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>核验站名称(&amp;N)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>添加公钥文件(&amp;A)…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>移除所选(&amp;R)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>保存</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>取消</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>区教育局的公钥文件（reviewdesk keys export 导出）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>公钥只能核验签名；能连接数据库时，还会核对决定是否仍然有效、是否为本校的通知单。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>第 %1 号密钥</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>未编号的密钥</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>选择区教育局的公钥文件</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>公钥文件 (*.pub *.pem);;所有文件 (*)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>请填写本校名称：与通知单上的学校名称一致。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>请填写核验站名称，它会记在每条核验记录里。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>无法保存设置：%1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>无法读取这个文件。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>这不是区教育局的公钥文件：请使用 reviewdesk keys export 导出的文件。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>这个公钥文件没有写明所属区县：请让区教育局用 reviewdesk keys export 重新导出。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>名称太长：最多 %1 个字。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>名称里有无法显示的字符，请重新输入。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>名称不能为空。</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>StationWindow</name>
        <message>
            <source>通知单核验站</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>请扫描通知单上的二维码（也可粘贴后按回车）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>回车 核验　Esc 清除　F2 设置　Ctrl+E 导出今日记录</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>正在准备核验站…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>请扫描通知单上的二维码</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>数据库：正在连接…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>核验站无法启动</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>本站还没有区教育局的公钥文件：按 F2 添加</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>本站还没有设置学校：按 F2 设置</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>（未设置学校）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>公钥：%1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>无</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>离线核验（只核验签名）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>数据库：已连接</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>数据库：无法连接，只核验签名</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>今日已核验 %1 份</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>无法核验</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>导出今日核验记录</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Excel 表格 (*.xlsx);;CSV 文件 (*.csv)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>今日已核验 %1 份 · 已导出到 %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>导出失败：文件名须以 .xlsx 或 .csv 结尾。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>导出失败：%1</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>StationWords</name>
        <message>
            <source>审核通过</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>审核不通过</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>退回补充材料</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>现场审核回执</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>有效</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>无效</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>请核实</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>无法核验</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>非本校</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>非通过通知单</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已核验过</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>签名真实</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>中心数据库（刚刚同步）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>本机副本（中心数据库无法连接）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>数据库</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>SteeringPanel</name>
        <message>
            <source>认领的案件</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>全选</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>转派给本区的另一位审核人或主管</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>转派给</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>原因（必填，记入审计日志）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>转派</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>释放</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>收回认领：案件回到待审核，任何人可再认领</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>暂停账号</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>暂停后此人不能登录、认领或提交决定，直到主管恢复；认领中的案件请先转派或释放</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>恢复账号</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>认领的案件（选中一位审核人）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 认领的案件</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>没有认领中的案件。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>未能完成：%1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已暂停 %1 的账号。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已恢复 %1 的账号。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已处理 %1 件。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>未处理 %1 件：%2</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>SyncStatusWidget</name>
        <message>
            <source>查看被中心库拒绝的记录</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>立即同步</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>上次同步 %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>单机模式</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>未配置中心库：案件只在本机审核。可在 文件 → 设置 中填写中心库地址。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>同步出错</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>在线</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>离线</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>中心库无法连接：%1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>待上传 %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>隔离 %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>只读：中心库版本较新，请升级本程序</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ThumbnailStrip</name>
        <message>
            <source>无法显示</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>VerdictView</name>
        <message>
            <source>请扫描通知单上的二维码</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>正在核验…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>姓名</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>身份证号</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>学校</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>类型</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>审核结论</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>签发日期</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>案件编号</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>流水号</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>核验时间 %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>正在联网核对决定状态…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已核对：%1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>记录未能保存：%1</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>ViewerFeeder</name>
        <message>
            <source>无法识别的文件</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>显示时出错（已记录）：%1</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>_CasePlaceholder</name>
        <message>
            <source>从左侧队列选择一个案件</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>CaseView</name>
        <message>
            <source>查看以前各轮提交的材料（只读）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>材料事实</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>审核记录</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>正在打开…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>正在领取…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>未领取：按回车或点击此处开始审核</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>未打开案件</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>在队列中选择案件后按回车打开</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>时间</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>操作人</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>操作</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>详情</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>确认</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>驳回</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>轮次：</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>正在加载…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>此案件有您未提交的草稿：领取后恢复</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>（当前）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>只读：您的角色不审核案件</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已提交，等待复核</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>待复核</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已办结：%1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>。请主管在“冲突”中处理。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已被</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>领取已失效</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>领取已失效：%1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>附件在独立窗口中显示（%1 收回）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>无法打开案件：%1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>系统</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>至 %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>此案件已有结论（%1），您未提交的草稿已不再适用</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>冲突：%1 的决定（%2）未被中心库接受</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>正在查看第 %1 轮（只读）：选回当前轮次才能作出决定</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>第 %1 轮  %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>第 %1 轮</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>；现行决定：%1（%2）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>正在查看第 %1 轮（只读）。自动发现只针对当前轮次。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>（已核对并忽略 %1 项错误发现：%2）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>查看</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>领取</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>续期</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>释放</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>接管</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>作出决定</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>复核</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>撤销</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>导入</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>打印通知书</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>通过</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>不通过</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>退回补充</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已生效</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已复核确认</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>冲突</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已被取代</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已撤销</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>复核驳回</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>监护关系</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>农房</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>隔代亲属</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>DecisionPanel</name>
        <message>
            <source>未找到该案件，或该案件不属于您负责的区县</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>未打开案件</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>不通过理由（数字键 1–9）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>缺少的材料（数字键 1–9）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>附件结论（V 切换当前附件）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>审核意见（Ctrl+E；选择「其他」时必填）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>复核（四眼原则）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已恢复此案件未提交的草稿</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>此案件有错误发现</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>仍要通过吗？通过将记录您已核对并决定忽略以上发现。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>仍然通过(&amp;Y)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>取消</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>正在提交…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已确认决定</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已驳回，案件回到待审核</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已提交，等待复核</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>决定已撤销，案件回到待审核</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>操作被拒绝：%1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>他人</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已领取，至 %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>给家长的说明（Ctrl+N）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>未打开案件：请先在队列中选择案件</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>理由（可选，Ctrl+Alt+数字键）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>通过时不能选择理由：不通过请按 R，退回补充请按 T</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>请勾选对应的缺少材料</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>无法识别</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>请先选择：通过（A）、不通过（R）或退回补充（T）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已保存为冲突：提交时领取已不属于您，请主管处理</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已被 %1 领取至 %2，只能查看</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>提交并下一个（%1）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>提交（%1）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>确认（%1）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>驳回（%1）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>撤销决定（%1）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>现在不能作出决定：%1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>未提交：请核对错误发现，或选择不通过、退回补充</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>操作失败：%1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>理由：</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>缺少：</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>意见：</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 的决定待复核：请确认或驳回。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>「%1」无法识别（%2），请重新拍摄清晰、完整的照片后上传。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已提交：%1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>告知家长：%1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>此案件有 %1 项错误发现：</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1：%2（%3，%4）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已被 %holder 领取至 %until，只能查看</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>您尚未领取此案件（或领取已过期），请重新打开案件</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>此案件的领取已不属于您</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>不通过须至少选择一项理由</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>选择「其他」理由时须填写审核意见</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>退回补充须至少勾选一项缺少的材料</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>所选材料不在本案件的材料清单中</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>所选理由不适用于此类案件</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>通过时不能选择不通过理由</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>请选择：通过、不通过或退回补充</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>附件结论无效</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>四眼原则：不能复核自己作出的决定，须由另一位主管复核</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>案件当前为「%status」，不能进行此操作</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>您的角色无权进行此操作</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已超过可撤销的时限，不能撤销</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>该决定的通知书已打印，不能撤销</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>此案件没有等待复核的决定</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>此案件没有可撤销的决定</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>只有作出决定的审核员本人可以撤销</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>未找到该案件</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>该决定已提交过且内容不同，请刷新后重试</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>通过</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>不通过</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>退回补充</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已生效</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>待复核</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已复核确认</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>冲突</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已被取代</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>已撤销</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>复核驳回</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>未标记</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>清晰</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>不清晰</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>材料不符</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>存疑</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>FactsView</name>
        <message>
            <source>是</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>否</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>其他发现</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>申请</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>学校</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>入学</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>入学依据</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>提交时间</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>学生</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>姓名</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>身份证号</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>监护人</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>材料</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>抚养权 / 离婚</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>父母离异</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>农房</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>产权人</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>产权人身份证号</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>与学生关系</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>地址</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>房屋类型</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>(外)祖父母</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>户籍地址</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>房产</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>租赁备案</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>居住证</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>可识别</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>离婚日期</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>抚养权人</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>抚养权文书</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>家长说明</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>抚养权</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>电话</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>证号</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>发证日期</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>性质</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>承租人</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>起始</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>结束</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>办理日期</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>有效期至</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>与非直系亲属共有</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>无法识别：%1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>原因未知</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1年%2月%3日</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>FindingsBanner</name>
        <message>
            <source>自动发现：</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>收起或展开发现列表</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>点击查看对应的材料事实或附件</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>收起</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>展开</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>自动发现：无</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>print_preview</name>
        <message>
            <source>本区尚无可用的签名密钥，通知单不能签发。请管理员生成或复制密钥后再打印。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>该案件还没有最终审核结论（待复核的结论不能打印）。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>该通知单已打印过，补打须填写原因。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>无法打印</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>预览之后通知单已有变化（其他工作站刚打印或改动了这些案件），没有记录，也没有打印。请关闭预览后重新打开。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>补打通知单 {0}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>打印通知单 {0}</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>没有符合条件、尚未打印的通知单。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>找不到该案件（或不属于您的辖区）。</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>无法打印。</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>Shortcuts</name>
        <message>
            <source>案件</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>决定</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>附件查看</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>其他</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>下一个案件</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>上一个案件</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>打开队列中选中的案件</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>搜索案件（回车或 ↓ 到结果）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>切换队列标签页（待审核 … 冲突）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>刷新队列</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>收起/展开队列（给附件更多宽度）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>离开输入框，回到决定面板</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>通过</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>不通过</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>退回补充</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>勾选/取消第 n 项（不通过：理由；退回：缺少的材料）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>勾选/取消第 n 项理由（退回时）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>当前附件的结论：清晰 → 不清晰 → 材料不符 → 存疑 → 未标记</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>填写审核意见</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>填写给家长的说明（退回时）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>提交并打开下一个案件</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>提交（留在本案件）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>撤销刚才的决定（回到该案件）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>复核：确认决定</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>复核：驳回决定</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>下一个附件</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>上一个附件</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>放大</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>缩小</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>适合页面</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>适合宽度</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>实际大小（1:1）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>向右旋转 90°（只旋转显示）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>向左旋转 90°（只旋转显示）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>调亮并增强对比（偏暗的照片）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>亮度、对比度还原</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>对比两个附件（开/关）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>对比时换右侧附件</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>附件在独立窗口中显示（第二块屏幕）/收回</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>切换 材料事实 / 审核记录</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>打印当前案件的通知书（先预览）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>督导台：积压、进度与理由（主管、管理员）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>审计日志：筛选、校验日志链、导出（主管、管理员）</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>快捷键一览</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>退出</source>
            <translation type="unfinished" />
        </message>
    </context>
</TS>
