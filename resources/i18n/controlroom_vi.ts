<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>AirCharts</name>
    <message>
        <location filename="../../widgets/air/range_bar.py" line="10"/>
        <source>24 h</source>
        <translation>24 giờ</translation>
    </message>
    <message>
        <location filename="../../widgets/air/range_bar.py" line="11"/>
        <source>7 days</source>
        <translation>7 ngày</translation>
    </message>
    <message>
        <location filename="../../widgets/air/range_bar.py" line="12"/>
        <source>30 days</source>
        <translation>30 ngày</translation>
    </message>
</context>
<context>
    <name>AlertPanel</name>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="89"/>
        <source>Raised</source>
        <translation>Phát sinh</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="89"/>
        <source>Repeated</source>
        <translation>Lặp lại</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="89"/>
        <source>Condition cleared</source>
        <translation>Điều kiện đã hết</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="90"/>
        <source>Acknowledged</source>
        <translation>Đã xác nhận</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="90"/>
        <source>Assigned</source>
        <translation>Đã giao</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="90"/>
        <source>Started handling</source>
        <translation>Bắt đầu xử lý</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="91"/>
        <source>Resolved</source>
        <translation>Đã xử lý xong</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="91"/>
        <source>Closed</source>
        <translation>Đã đóng</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="91"/>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="92"/>
        <source>Escalated</source>
        <translation>Nâng mức</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="92"/>
        <source>Procedure step %1 done</source>
        <translation>Hoàn thành bước %1 của quy trình</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="93"/>
        <source>Procedure completed</source>
        <translation>Hoàn thành quy trình</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="93"/>
        <source>Notification sent</source>
        <translation>Đã gửi thông báo</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="94"/>
        <source>Notification failed</source>
        <translation>Gửi thông báo thất bại</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="95"/>
        <source>Air quality</source>
        <translation>Chất lượng không khí</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="95"/>
        <source>Wastewater discharge</source>
        <translation>Nước thải</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="96"/>
        <source>Fishing vessels</source>
        <translation>Tàu cá</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="96"/>
        <source>Cameras</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="97"/>
        <source>Citizen feedback</source>
        <translation>Phản ánh hiện trường</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="97"/>
        <source>Socio-economic</source>
        <translation>Kinh tế – xã hội</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="111"/>
        <source>All severities</source>
        <translation>Mọi mức độ</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="113"/>
        <source>≥ %1</source>
        <translation>≥ %1</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="116"/>
        <source>Open</source>
        <translation>Đang mở</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="117"/>
        <source>All states</source>
        <translation>Mọi trạng thái</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="121"/>
        <source>All domains</source>
        <translation>Mọi lĩnh vực</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="123"/>
        <source>Search title, entity, assignee…</source>
        <translation>Tìm theo tiêu đề, đối tượng, người xử lý…</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="174"/>
        <source>Severity</source>
        <translation>Mức độ</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="174"/>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="174"/>
        <source>Entity</source>
        <translation>Đối tượng</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="175"/>
        <source>Count</source>
        <translation>Số lần</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="175"/>
        <source>First / last seen</source>
        <translation>Lần đầu / lần cuối</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="176"/>
        <source>Location</source>
        <translation>Vị trí</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="176"/>
        <source>Assignee</source>
        <translation>Người xử lý</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="177"/>
        <source>Acknowledged by</source>
        <translation>Người xác nhận</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="185"/>
        <source>Acknowledge</source>
        <translation>Xác nhận</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="186"/>
        <source>Start</source>
        <translation>Bắt đầu</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="187"/>
        <source>Resolve</source>
        <translation>Xử lý xong</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="188"/>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="193"/>
        <source>Assign</source>
        <translation>Giao</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="194"/>
        <source>Note for the history…</source>
        <translation>Ghi chú vào lịch sử…</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="198"/>
        <source>Add note</source>
        <translation>Thêm ghi chú</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="199"/>
        <source>Call the commune</source>
        <translation>Gọi xã</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="218"/>
        <source>Time</source>
        <translation>Thời gian</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="218"/>
        <source>By</source>
        <translation>Người thực hiện</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="218"/>
        <source>Action</source>
        <translation>Hành động</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="218"/>
        <source>Text</source>
        <translation>Nội dung</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="224"/>
        <source>History</source>
        <translation>Lịch sử</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="332"/>
        <source>Select an alert</source>
        <translation>Chọn một cảnh báo</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/panel.py" line="377"/>
        <source>Call %1</source>
        <translation>Gọi %1</translation>
    </message>
</context>
<context>
    <name>AlertTableModel</name>
    <message>
        <location filename="../../widgets/alerts/table.py" line="77"/>
        <source>Severity</source>
        <translation>Mức độ</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/table.py" line="77"/>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/table.py" line="77"/>
        <source>Title</source>
        <translation>Tiêu đề</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/table.py" line="77"/>
        <source>Entity</source>
        <translation>Đối tượng</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/table.py" line="78"/>
        <source>Count</source>
        <translation>Số lần</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/table.py" line="78"/>
        <source>First seen</source>
        <translation>Phát sinh lúc</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/table.py" line="78"/>
        <source>Age</source>
        <translation>Đã qua</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/table.py" line="78"/>
        <source>Assignee</source>
        <translation>Người xử lý</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/table.py" line="79"/>
        <source>Info</source>
        <translation>Thông tin</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/table.py" line="79"/>
        <source>Warning</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/table.py" line="80"/>
        <source>Critical</source>
        <translation>Nghiêm trọng</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/table.py" line="80"/>
        <source>Emergency</source>
        <translation>Khẩn cấp</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/table.py" line="81"/>
        <source>Raised</source>
        <translation>Phát sinh</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/table.py" line="81"/>
        <source>Acknowledged</source>
        <translation>Đã xác nhận</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/table.py" line="82"/>
        <source>Assigned</source>
        <translation>Đã giao</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/table.py" line="82"/>
        <source>In progress</source>
        <translation>Đang xử lý</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/table.py" line="83"/>
        <source>Resolved</source>
        <translation>Đã xử lý xong</translation>
    </message>
    <message>
        <location filename="../../widgets/alerts/table.py" line="83"/>
        <source>Closed</source>
        <translation>Đã đóng</translation>
    </message>
</context>
<context>
    <name>AqiCardTile</name>
    <message>
        <location filename="../../widgets/air/aqi_card.py" line="40"/>
        <source>no data yet</source>
        <translation>chưa có dữ liệu</translation>
    </message>
    <message>
        <location filename="../../widgets/air/aqi_card.py" line="88"/>
        <source>Main pollutant: %1</source>
        <translation>Chất ô nhiễm chính: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/air/aqi_card.py" line="98"/>
        <source>%1 %2 in 1 h</source>
        <translation>%1 %2 trong 1 giờ</translation>
    </message>
</context>
<context>
    <name>AqiChartTile</name>
    <message>
        <location filename="../../widgets/air/aqi_chart.py" line="105"/>
        <source>limit %1 µg/m³ (%2)</source>
        <translation>giới hạn %1 µg/m³ (%2)</translation>
    </message>
    <message>
        <location filename="../../widgets/air/aqi_chart.py" line="269"/>
        <source>(above the limit)</source>
        <translation>(vượt giới hạn)</translation>
    </message>
</context>
<context>
    <name>CallController</name>
    <message>
        <location filename="../../desktop/conference/call.py" line="81"/>
        <source>Refused: %1</source>
        <translation>Bị từ chối: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/conference/call.py" line="109"/>
        <source>Joining the conference…</source>
        <translation>Đang vào hội nghị…</translation>
    </message>
    <message>
        <location filename="../../desktop/conference/call.py" line="110"/>
        <source>Joining %1…</source>
        <translation>Đang vào %1…</translation>
    </message>
    <message>
        <location filename="../../desktop/conference/call.py" line="122"/>
        <source>The microphone %1 cannot be opened: joined without sound</source>
        <translation>Không mở được micro %1: đã vào không có tiếng</translation>
    </message>
    <message>
        <location filename="../../desktop/conference/call.py" line="155"/>
        <source>The chair muted your microphone</source>
        <translation>Chủ trì đã tắt micro của bạn</translation>
    </message>
    <message>
        <location filename="../../desktop/conference/call.py" line="156"/>
        <source>The chair lets you speak again</source>
        <translation>Chủ trì đã cho bạn phát biểu lại</translation>
    </message>
    <message>
        <location filename="../../desktop/conference/call.py" line="160"/>
        <source>In the conference: %1</source>
        <translation>Đang trong hội nghị: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/conference/call.py" line="160"/>
        <source>Connection lost, rejoining %1…</source>
        <translation>Mất kết nối, đang vào lại %1…</translation>
    </message>
    <message>
        <location filename="../../desktop/conference/call.py" line="161"/>
        <location filename="../../desktop/conference/call.py" line="169"/>
        <source>The chair removed you from %1</source>
        <translation>Chủ trì đã mời bạn ra khỏi %1</translation>
    </message>
    <message>
        <location filename="../../desktop/conference/call.py" line="185"/>
        <source>Not in a conference</source>
        <translation>Chưa vào hội nghị</translation>
    </message>
    <message>
        <location filename="../../desktop/conference/call.py" line="201"/>
        <source>Not done: %1</source>
        <translation>Chưa thực hiện được: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/conference/call.py" line="208"/>
        <source>Microphone on</source>
        <translation>Micro bật</translation>
    </message>
    <message>
        <location filename="../../desktop/conference/call.py" line="208"/>
        <source>Microphone off</source>
        <translation>Micro tắt</translation>
    </message>
    <message>
        <location filename="../../desktop/conference/call.py" line="212"/>
        <source>Camera on</source>
        <translation>Camera bật</translation>
    </message>
    <message>
        <location filename="../../desktop/conference/call.py" line="212"/>
        <source>Camera off</source>
        <translation>Camera tắt</translation>
    </message>
    <message>
        <location filename="../../desktop/conference/call.py" line="228"/>
        <location filename="../../desktop/conference/call.py" line="245"/>
        <source>Sharing this screen</source>
        <translation>Đang chia sẻ màn hình này</translation>
    </message>
    <message>
        <location filename="../../desktop/conference/call.py" line="236"/>
        <source>Sharing stopped</source>
        <translation>Đã dừng chia sẻ</translation>
    </message>
    <message>
        <location filename="../../desktop/conference/call.py" line="242"/>
        <source>The shared screen is not in the room: %1</source>
        <translation>Màn hình chia sẻ chưa vào được phòng: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/conference/call.py" line="251"/>
        <source>Join a conference first to show a paper in it</source>
        <translation>Hãy vào hội nghị trước khi trình chiếu tài liệu</translation>
    </message>
    <message>
        <location filename="../../desktop/conference/call.py" line="290"/>
        <source>Muted</source>
        <translation>Đã tắt tiếng</translation>
    </message>
    <message>
        <location filename="../../desktop/conference/call.py" line="290"/>
        <source>May speak again</source>
        <translation>Đã cho phát biểu lại</translation>
    </message>
    <message>
        <location filename="../../desktop/conference/call.py" line="291"/>
        <source>In the spotlight</source>
        <translation>Đã đưa lên tiêu điểm</translation>
    </message>
    <message>
        <location filename="../../desktop/conference/call.py" line="291"/>
        <source>Spotlight ended</source>
        <translation>Đã bỏ tiêu điểm</translation>
    </message>
    <message>
        <location filename="../../desktop/conference/call.py" line="292"/>
        <source>Removed from the room</source>
        <translation>Đã mời ra khỏi phòng</translation>
    </message>
    <message>
        <location filename="../../desktop/conference/call.py" line="299"/>
        <source>Room locked</source>
        <translation>Đã khóa phòng</translation>
    </message>
    <message>
        <location filename="../../desktop/conference/call.py" line="299"/>
        <source>Room open</source>
        <translation>Đã mở phòng</translation>
    </message>
</context>
<context>
    <name>CallPanel</name>
    <message>
        <location filename="../../widgets/conference/call_panel.py" line="75"/>
        <source>Join</source>
        <translation>Vào phòng</translation>
    </message>
    <message>
        <location filename="../../widgets/conference/call_panel.py" line="76"/>
        <source>Leave</source>
        <translation>Rời phòng</translation>
    </message>
    <message>
        <location filename="../../widgets/conference/call_panel.py" line="77"/>
        <source>Not in a conference</source>
        <translation>Chưa vào hội nghị</translation>
    </message>
    <message>
        <location filename="../../widgets/conference/call_panel.py" line="86"/>
        <source>signal lost</source>
        <translation>mất tín hiệu</translation>
    </message>
    <message>
        <location filename="../../widgets/conference/call_panel.py" line="87"/>
        <location filename="../../widgets/conference/call_panel.py" line="105"/>
        <source>Presentation</source>
        <translation>Trình chiếu</translation>
    </message>
    <message>
        <location filename="../../widgets/conference/call_panel.py" line="88"/>
        <location filename="../../widgets/conference/call_panel.py" line="151"/>
        <source>Pick a room and join</source>
        <translation>Chọn phòng rồi bấm Vào phòng</translation>
    </message>
    <message>
        <location filename="../../widgets/conference/call_panel.py" line="98"/>
        <location filename="../../widgets/conference/call_panel.py" line="199"/>
        <source>Microphone on</source>
        <translation>Micro bật</translation>
    </message>
    <message>
        <location filename="../../widgets/conference/call_panel.py" line="99"/>
        <location filename="../../widgets/conference/call_panel.py" line="203"/>
        <source>Camera on</source>
        <translation>Camera bật</translation>
    </message>
    <message>
        <location filename="../../widgets/conference/call_panel.py" line="100"/>
        <source>Share screen</source>
        <translation>Chia sẻ màn hình</translation>
    </message>
    <message>
        <location filename="../../widgets/conference/call_panel.py" line="104"/>
        <source>Gallery</source>
        <translation>Lưới</translation>
    </message>
    <message>
        <location filename="../../widgets/conference/call_panel.py" line="104"/>
        <source>Speaker</source>
        <translation>Người nói</translation>
    </message>
    <message>
        <location filename="../../widgets/conference/call_panel.py" line="114"/>
        <location filename="../../widgets/conference/call_panel.py" line="209"/>
        <source>Tap a participant to act on them</source>
        <translation>Chạm vào một người để điều hành</translation>
    </message>
    <message>
        <location filename="../../widgets/conference/call_panel.py" line="115"/>
        <location filename="../../widgets/conference/call_panel.py" line="215"/>
        <source>Mute</source>
        <translation>Tắt tiếng</translation>
    </message>
    <message>
        <location filename="../../widgets/conference/call_panel.py" line="116"/>
        <location filename="../../widgets/conference/call_panel.py" line="217"/>
        <source>Spotlight</source>
        <translation>Tiêu điểm</translation>
    </message>
    <message>
        <location filename="../../widgets/conference/call_panel.py" line="117"/>
        <source>Remove</source>
        <translation>Mời ra</translation>
    </message>
    <message>
        <location filename="../../widgets/conference/call_panel.py" line="118"/>
        <source>Lock room</source>
        <translation>Khóa phòng</translation>
    </message>
    <message>
        <location filename="../../widgets/conference/call_panel.py" line="163"/>
        <location filename="../../widgets/conference/call_panel.py" line="203"/>
        <source>Camera off</source>
        <translation>Camera tắt</translation>
    </message>
    <message>
        <location filename="../../widgets/conference/call_panel.py" line="178"/>
        <source>Reconnecting to the conference…</source>
        <translation>Đang kết nối lại hội nghị…</translation>
    </message>
    <message>
        <location filename="../../widgets/conference/call_panel.py" line="179"/>
        <source>Nobody else is in the room yet</source>
        <translation>Chưa có ai khác trong phòng</translation>
    </message>
    <message>
        <location filename="../../widgets/conference/call_panel.py" line="199"/>
        <source>Microphone off</source>
        <translation>Micro tắt</translation>
    </message>
    <message>
        <location filename="../../widgets/conference/call_panel.py" line="215"/>
        <source>Let speak</source>
        <translation>Cho phát biểu</translation>
    </message>
    <message>
        <location filename="../../widgets/conference/call_panel.py" line="216"/>
        <source>End spotlight</source>
        <translation>Bỏ tiêu điểm</translation>
    </message>
</context>
<context>
    <name>CameraManager</name>
    <message>
        <location filename="../../desktop/windows/cameras.py" line="225"/>
        <source>reduced frame rate (wall overloaded)</source>
        <translation>giảm tốc độ khung hình (màn hình ghép quá tải)</translation>
    </message>
    <message>
        <location filename="../../desktop/windows/cameras.py" line="225"/>
        <source>sub-stream (wall overloaded)</source>
        <translation>luồng phụ (màn hình ghép quá tải)</translation>
    </message>
    <message>
        <location filename="../../desktop/windows/cameras.py" line="226"/>
        <source>still every %1 s (wall overloaded)</source>
        <translation>ảnh tĩnh mỗi %1 giây (màn hình ghép quá tải)</translation>
    </message>
</context>
<context>
    <name>CameraTile</name>
    <message>
        <location filename="../../widgets/video/camera_tile.py" line="185"/>
        <location filename="../../widgets/video/camera_tile.py" line="231"/>
        <location filename="../../widgets/video/camera_tile.py" line="277"/>
        <source>connecting…</source>
        <translation>đang kết nối…</translation>
    </message>
    <message>
        <location filename="../../widgets/video/camera_tile.py" line="231"/>
        <source>LIVE</source>
        <translation>TRỰC TIẾP</translation>
    </message>
    <message>
        <location filename="../../widgets/video/camera_tile.py" line="232"/>
        <source>stalled</source>
        <translation>đứng hình</translation>
    </message>
    <message>
        <location filename="../../widgets/video/camera_tile.py" line="232"/>
        <source>signal lost</source>
        <translation>mất tín hiệu</translation>
    </message>
    <message>
        <location filename="../../widgets/video/camera_tile.py" line="233"/>
        <source>error</source>
        <translation>lỗi</translation>
    </message>
    <message>
        <location filename="../../widgets/video/camera_tile.py" line="241"/>
        <source>Cannot show camera: %1</source>
        <translation>Không hiển thị được camera: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/video/camera_tile.py" line="242"/>
        <source>lost at %1</source>
        <translation>mất lúc %1</translation>
    </message>
    <message>
        <location filename="../../widgets/video/camera_tile.py" line="244"/>
        <source>last picture %1</source>
        <translation>hình cuối %1</translation>
    </message>
    <message>
        <location filename="../../widgets/video/camera_tile.py" line="245"/>
        <source>reconnecting…</source>
        <translation>đang kết nối lại…</translation>
    </message>
    <message>
        <location filename="../../widgets/video/camera_tile.py" line="252"/>
        <source>violations %1</source>
        <translation>vi phạm %1</translation>
    </message>
    <message>
        <location filename="../../widgets/video/camera_tile.py" line="254"/>
        <source>flow %1 veh/h</source>
        <translation>lưu lượng %1 xe/giờ</translation>
    </message>
    <message>
        <location filename="../../widgets/video/camera_tile.py" line="279"/>
        <source>last frame %1</source>
        <translation>khung hình cuối %1</translation>
    </message>
    <message>
        <location filename="../../widgets/video/camera_tile.py" line="283"/>
        <source>no picture yet</source>
        <translation>chưa có hình</translation>
    </message>
    <message>
        <location filename="../../widgets/video/camera_tile.py" line="285"/>
        <source>main stream</source>
        <translation>luồng chính</translation>
    </message>
    <message>
        <location filename="../../widgets/video/camera_tile.py" line="285"/>
        <source>sub-stream</source>
        <translation>luồng phụ</translation>
    </message>
    <message>
        <location filename="../../widgets/video/camera_tile.py" line="323"/>
        <source>Maximise / restore</source>
        <translation>Phóng to / thu nhỏ</translation>
    </message>
    <message>
        <location filename="../../widgets/video/camera_tile.py" line="324"/>
        <source>Snapshot (PNG)</source>
        <translation>Chụp ảnh (PNG)</translation>
    </message>
</context>
<context>
    <name>ClockTile</name>
    <message>
        <location filename="../../widgets/base/clock_tile.py" line="65"/>
        <source>local time</source>
        <translation>giờ địa phương</translation>
    </message>
</context>
<context>
    <name>ConferenceTile</name>
    <message>
        <location filename="../../widgets/conference/conference_tile.py" line="298"/>
        <source>signal lost</source>
        <translation>mất tín hiệu</translation>
    </message>
    <message>
        <location filename="../../widgets/conference/conference_tile.py" line="299"/>
        <source>Presentation</source>
        <translation>Trình chiếu</translation>
    </message>
    <message>
        <location filename="../../widgets/conference/conference_tile.py" line="300"/>
        <source>Joining the conference…</source>
        <translation>Đang vào phòng hội nghị…</translation>
    </message>
    <message>
        <location filename="../../widgets/conference/conference_tile.py" line="311"/>
        <source>No room %1 in [conference.rooms]</source>
        <translation>Không có phòng %1 trong [conference.rooms]</translation>
    </message>
    <message>
        <location filename="../../widgets/conference/conference_tile.py" line="319"/>
        <source>Reconnecting to the conference…</source>
        <translation>Đang kết nối lại phòng hội nghị…</translation>
    </message>
    <message>
        <location filename="../../widgets/conference/conference_tile.py" line="320"/>
        <source>Nobody else is in the room yet</source>
        <translation>Chưa có ai khác trong phòng</translation>
    </message>
</context>
<context>
    <name>DischargeChartTile</name>
    <message>
        <location filename="../../widgets/air/discharge_chart.py" line="146"/>
        <source>Over the limit: %1</source>
        <translation>Vượt giới hạn: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/air/discharge_chart.py" line="147"/>
        <source>Within limits</source>
        <translation>Trong giới hạn cho phép</translation>
    </message>
</context>
<context>
    <name>ErrorTile</name>
    <message>
        <location filename="../../widgets/base/tile.py" line="132"/>
        <source>Cannot show this tile: %1</source>
        <translation>Không hiển thị được ô này: %1</translation>
    </message>
</context>
<context>
    <name>FeedStatus</name>
    <message>
        <location filename="../../widgets/base/clock_tile.py" line="21"/>
        <source>connected</source>
        <translation>đã kết nối</translation>
    </message>
    <message>
        <location filename="../../widgets/base/clock_tile.py" line="23"/>
        <source>connecting…</source>
        <translation>đang kết nối…</translation>
    </message>
    <message>
        <location filename="../../widgets/base/clock_tile.py" line="25"/>
        <source>reconnecting since %1</source>
        <translation>đang kết nối lại từ %1</translation>
    </message>
    <message>
        <location filename="../../widgets/base/clock_tile.py" line="27"/>
        <source>offline since %1</source>
        <translation>ngoại tuyến từ %1</translation>
    </message>
</context>
<context>
    <name>FleetTableModel</name>
    <message>
        <location filename="../../widgets/fleet/map_view.py" line="177"/>
        <source>Registration</source>
        <translation>Số đăng ký</translation>
    </message>
    <message>
        <location filename="../../widgets/fleet/map_view.py" line="177"/>
        <source>Name</source>
        <translation>Tên tàu</translation>
    </message>
    <message>
        <location filename="../../widgets/fleet/map_view.py" line="177"/>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location filename="../../widgets/fleet/map_view.py" line="177"/>
        <source>Speed (kn)</source>
        <translation>Tốc độ (hải lý/giờ)</translation>
    </message>
    <message>
        <location filename="../../widgets/fleet/map_view.py" line="178"/>
        <source>Last report</source>
        <translation>Lần báo cáo cuối</translation>
    </message>
</context>
<context>
    <name>GateOverlay</name>
    <message>
        <location filename="../../widgets/identity/gate_overlay.py" line="66"/>
        <source>Account name</source>
        <translation>Tên đăng nhập</translation>
    </message>
    <message>
        <location filename="../../widgets/identity/gate_overlay.py" line="118"/>
        <source>Intelligent Operations Center</source>
        <translation>Trung tâm Điều hành thông minh</translation>
    </message>
    <message>
        <location filename="../../widgets/identity/gate_overlay.py" line="118"/>
        <source>Sign in to continue</source>
        <translation>Đăng nhập để tiếp tục</translation>
    </message>
    <message>
        <location filename="../../widgets/identity/gate_overlay.py" line="119"/>
        <source>Sign in</source>
        <translation>Đăng nhập</translation>
    </message>
    <message>
        <location filename="../../widgets/identity/gate_overlay.py" line="119"/>
        <source>Clear</source>
        <translation>Xóa</translation>
    </message>
    <message>
        <location filename="../../widgets/identity/gate_overlay.py" line="119"/>
        <source>Password</source>
        <translation>Mật khẩu</translation>
    </message>
    <message>
        <location filename="../../widgets/identity/gate_overlay.py" line="125"/>
        <source>Screen locked</source>
        <translation>Màn hình đã khóa</translation>
    </message>
    <message>
        <location filename="../../widgets/identity/gate_overlay.py" line="126"/>
        <source>Signed in: %1. Enter your PIN or password to continue.</source>
        <translation>Đang đăng nhập: %1. Nhập mã PIN hoặc mật khẩu để tiếp tục.</translation>
    </message>
    <message>
        <location filename="../../widgets/identity/gate_overlay.py" line="127"/>
        <source>Unlock</source>
        <translation>Mở khóa</translation>
    </message>
    <message>
        <location filename="../../widgets/identity/gate_overlay.py" line="127"/>
        <source>Sign out</source>
        <translation>Đăng xuất</translation>
    </message>
    <message>
        <location filename="../../widgets/identity/gate_overlay.py" line="127"/>
        <source>PIN or password</source>
        <translation>Mã PIN hoặc mật khẩu</translation>
    </message>
    <message>
        <location filename="../../widgets/identity/gate_overlay.py" line="130"/>
        <source>Leave kiosk mode</source>
        <translation>Thoát chế độ kiosk</translation>
    </message>
    <message>
        <location filename="../../widgets/identity/gate_overlay.py" line="130"/>
        <source>An administrator&apos;s PIN is needed</source>
        <translation>Cần mã PIN của quản trị viên</translation>
    </message>
    <message>
        <location filename="../../widgets/identity/gate_overlay.py" line="131"/>
        <source>Confirm</source>
        <translation>Xác nhận</translation>
    </message>
    <message>
        <location filename="../../widgets/identity/gate_overlay.py" line="131"/>
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../../widgets/identity/gate_overlay.py" line="131"/>
        <source>Administrator PIN</source>
        <translation>Mã PIN quản trị</translation>
    </message>
    <message>
        <location filename="../../widgets/identity/gate_overlay.py" line="167"/>
        <source>Checking…</source>
        <translation>Đang kiểm tra…</translation>
    </message>
    <message>
        <location filename="../../widgets/identity/gate_overlay.py" line="176"/>
        <source>Enter your account name and password</source>
        <translation>Nhập tên đăng nhập và mật khẩu</translation>
    </message>
    <message>
        <location filename="../../widgets/identity/gate_overlay.py" line="180"/>
        <source>Enter the PIN or password</source>
        <translation>Nhập mã PIN hoặc mật khẩu</translation>
    </message>
</context>
<context>
    <name>HotspotPane</name>
    <message>
        <location filename="../../desktop/windows/cameras.py" line="321"/>
        <source>Click a camera to show it here</source>
        <translation>Bấm vào một camera để xem lớn tại đây</translation>
    </message>
    <message>
        <location filename="../../desktop/windows/cameras.py" line="324"/>
        <source>Snapshot</source>
        <translation>Chụp ảnh</translation>
    </message>
    <message>
        <location filename="../../desktop/windows/cameras.py" line="330"/>
        <source>Push camera</source>
        <translation>Đẩy camera</translation>
    </message>
</context>
<context>
    <name>IndicatorTile</name>
    <message>
        <location filename="../../widgets/indicators/indicator_tile.py" line="96"/>
        <source>target %1</source>
        <translation>mục tiêu %1</translation>
    </message>
</context>
<context>
    <name>KioskExit</name>
    <message>
        <location filename="../../desktop/identity/kiosk_exit.py" line="55"/>
        <source>Wrong PIN, or this PIN may not leave kiosk mode</source>
        <translation>Sai mã PIN, hoặc mã PIN này không được thoát chế độ kiosk</translation>
    </message>
</context>
<context>
    <name>LockedAccounts</name>
    <message>
        <location filename="../../widgets/identity/locked_accounts.py" line="31"/>
        <source>Refresh</source>
        <translation>Làm mới</translation>
    </message>
    <message>
        <location filename="../../widgets/identity/locked_accounts.py" line="51"/>
        <source>locked by an administrator</source>
        <translation>bị quản trị viên khóa</translation>
    </message>
    <message>
        <location filename="../../widgets/identity/locked_accounts.py" line="53"/>
        <source>locked until %1 after %2 failed sign-ins</source>
        <translation>bị khóa đến %1 sau %2 lần đăng nhập sai</translation>
    </message>
    <message>
        <location filename="../../widgets/identity/locked_accounts.py" line="59"/>
        <source>Unlock</source>
        <translation>Mở khóa</translation>
    </message>
    <message>
        <location filename="../../widgets/identity/locked_accounts.py" line="65"/>
        <source>No account is locked</source>
        <translation>Không có tài khoản nào bị khóa</translation>
    </message>
</context>
<context>
    <name>MeetingAgendaTile</name>
    <message>
        <location filename="../../widgets/meetings/tiles.py" line="64"/>
        <source>No meeting in session</source>
        <translation>Không có phiên họp nào đang diễn ra</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/tiles.py" line="80"/>
        <source>present %1/%2</source>
        <translation>có mặt %1/%2</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/tiles.py" line="84"/>
        <source>Not started</source>
        <translation>Chưa bắt đầu</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/tiles.py" line="84"/>
        <source>Closed</source>
        <translation>Đã kết thúc</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/tiles.py" line="87"/>
        <source>Item %1 of %2</source>
        <translation>Nội dung %1/%2</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/tiles.py" line="90"/>
        <source>Presented by %1</source>
        <translation>Trình bày: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/tiles.py" line="91"/>
        <source>%1 min</source>
        <translation>%1 phút</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/tiles.py" line="94"/>
        <source>Next: %1</source>
        <translation>Tiếp theo: %1</translation>
    </message>
</context>
<context>
    <name>MeetingController</name>
    <message>
        <location filename="../../desktop/meetings/controller.py" line="76"/>
        <source>Paper to upload</source>
        <translation>Tài liệu cần tải lên</translation>
    </message>
    <message>
        <location filename="../../desktop/meetings/controller.py" line="76"/>
        <source>PDF documents (*.pdf)</source>
        <translation>Tài liệu PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../desktop/meetings/controller.py" line="237"/>
        <source>Minutes issued and signed (%1)</source>
        <translation>Đã lập và ký số biên bản (%1)</translation>
    </message>
    <message>
        <location filename="../../desktop/meetings/controller.py" line="289"/>
        <source>Notes kept on this tablet; they go to the service when it is back</source>
        <translation>Ghi chú đã lưu trên máy; sẽ gửi lên hệ thống khi kết nối lại</translation>
    </message>
    <message>
        <location filename="../../desktop/meetings/controller.py" line="299"/>
        <source>Notes on a confidential paper stay on this tablet</source>
        <translation>Ghi chú trên tài liệu MẬT chỉ được giữ trên máy này</translation>
    </message>
    <message>
        <location filename="../../desktop/meetings/controller.py" line="305"/>
        <source>Your notes were saved to %1</source>
        <translation>Đã xuất ghi chú ra %1</translation>
    </message>
    <message>
        <location filename="../../desktop/meetings/controller.py" line="432"/>
        <source>Signed out</source>
        <translation>Đã đăng xuất</translation>
    </message>
</context>
<context>
    <name>MeetingSpeakerTile</name>
    <message>
        <location filename="../../widgets/meetings/tiles.py" line="106"/>
        <location filename="../../widgets/meetings/tiles.py" line="123"/>
        <source>Nobody has the floor</source>
        <translation>Chưa có đại biểu phát biểu</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/tiles.py" line="126"/>
        <source>Waiting to speak (%1):</source>
        <translation>Đăng ký phát biểu (%1):</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/tiles.py" line="128"/>
        <source>Nobody is waiting to speak</source>
        <translation>Chưa có đăng ký phát biểu</translation>
    </message>
</context>
<context>
    <name>MeetingView</name>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="117"/>
        <source>Title of the new meeting</source>
        <translation>Tên cuộc họp mới</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="121"/>
        <source>Place</source>
        <translation>Địa điểm</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="125"/>
        <source>Create the meeting</source>
        <translation>Tạo cuộc họp</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="131"/>
        <source>No meeting today</source>
        <translation>Hôm nay không có cuộc họp</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="138"/>
        <source>Present</source>
        <translation>Có mặt</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="138"/>
        <source>Online</source>
        <translation>Trực tuyến</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="139"/>
        <source>Absent…</source>
        <translation>Vắng mặt…</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="141"/>
        <source>Reason for absence</source>
        <translation>Lý do vắng mặt</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="144"/>
        <source>Send</source>
        <translation>Gửi</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="153"/>
        <location filename="../../widgets/meetings/meeting_view.py" line="268"/>
        <source>Agenda</source>
        <translation>Chương trình họp</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="164"/>
        <location filename="../../widgets/meetings/meeting_view.py" line="167"/>
        <location filename="../../widgets/meetings/meeting_view.py" line="317"/>
        <source>Vote</source>
        <translation>Biểu quyết</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="165"/>
        <location filename="../../widgets/meetings/meeting_view.py" line="167"/>
        <location filename="../../widgets/meetings/meeting_view.py" line="365"/>
        <source>Speaking</source>
        <translation>Phát biểu</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="166"/>
        <location filename="../../widgets/meetings/meeting_view.py" line="168"/>
        <location filename="../../widgets/meetings/meeting_view.py" line="391"/>
        <source>Opinion forms</source>
        <translation>Phiếu lấy ý kiến</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="181"/>
        <source>Secretary</source>
        <translation>Thư ký</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="204"/>
        <source>Give the new meeting a title and a time such as 14:00</source>
        <translation>Hãy ghi tên cuộc họp và giờ họp, ví dụ 14:00</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="217"/>
        <source>Today</source>
        <translation>Hôm nay</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="223"/>
        <location filename="../../widgets/meetings/meeting_view.py" line="240"/>
        <source>No meeting on this day</source>
        <translation>Không có cuộc họp trong ngày</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="225"/>
        <source>+ New meeting</source>
        <translation>+ Cuộc họp mới</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="255"/>
        <source>not started</source>
        <translation>chưa khai mạc</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="255"/>
        <source>in session</source>
        <translation>đang họp</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="255"/>
        <source>closed</source>
        <translation>đã bế mạc</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="258"/>
        <source>not checked in</source>
        <translation>chưa điểm danh</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="258"/>
        <source>present in the room</source>
        <translation>có mặt tại phòng họp</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="259"/>
        <source>attending online</source>
        <translation>dự họp trực tuyến</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="259"/>
        <source>absent</source>
        <translation>vắng mặt</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="260"/>
        <source>You: %1</source>
        <translation>Bạn: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="261"/>
        <source>You are not a member of this meeting</source>
        <translation>Bạn không thuộc thành phần cuộc họp này</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="277"/>
        <source>Presented by %1</source>
        <translation>Trình bày: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="280"/>
        <source>CONFIDENTIAL</source>
        <translation>MẬT</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="282"/>
        <source>Read</source>
        <translation>Đọc</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="289"/>
        <location filename="../../widgets/meetings/meeting_view.py" line="310"/>
        <source>on the tablet</source>
        <translation>đã tải về máy</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="290"/>
        <source>view only</source>
        <translation>chỉ xem</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="319"/>
        <source>No vote is open</source>
        <translation>Chưa có nội dung biểu quyết</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="323"/>
        <source>secret ballot</source>
        <translation>bỏ phiếu kín</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="323"/>
        <source>named vote</source>
        <translation>biểu quyết công khai</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="328"/>
        <source>up to %1 choices</source>
        <translation>chọn tối đa %1</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="346"/>
        <source>Send my ballot</source>
        <translation>Gửi phiếu</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="354"/>
        <source>%1 of %2 present have voted</source>
        <translation>%1/%2 đại biểu có mặt đã biểu quyết</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="368"/>
        <source>Now: %1</source>
        <translation>Đang phát biểu: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="369"/>
        <source>Nobody has the floor</source>
        <translation>Chưa có đại biểu phát biểu</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="381"/>
        <source>Withdraw my request</source>
        <translation>Rút đăng ký phát biểu</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="381"/>
        <source>Ask for the floor</source>
        <translation>Xin phát biểu</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="396"/>
        <source>Approve and return to the secretary</source>
        <translation>Duyệt phiếu, chuyển thư ký gửi</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="404"/>
        <source>concluded: %1</source>
        <translation>đã kết luận: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="405"/>
        <source>answers closed</source>
        <translation>đã hết hạn lấy ý kiến</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="409"/>
        <source>No opinion form for you</source>
        <translation>Không có phiếu lấy ý kiến nào gửi đồng chí</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="415"/>
        <source>Answer before %1</source>
        <translation>Trả lời trước %1</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="418"/>
        <source>Agree</source>
        <translation>Đồng ý</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="418"/>
        <source>Disagree</source>
        <translation>Không đồng ý</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="418"/>
        <source>Other opinion</source>
        <translation>Ý kiến khác</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="432"/>
        <source>Comment (needed for another opinion)</source>
        <translation>Ý kiến (bắt buộc khi chọn Ý kiến khác)</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="437"/>
        <source>Send my opinions</source>
        <translation>Gửi ý kiến</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="482"/>
        <source>Open the meeting</source>
        <translation>Khai mạc</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="484"/>
        <source>‹ Previous item</source>
        <translation>‹ Nội dung trước</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="484"/>
        <source>Next item ›</source>
        <translation>Nội dung tiếp ›</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="486"/>
        <source>Open the vote</source>
        <translation>Mở biểu quyết</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="488"/>
        <source>Close the vote</source>
        <translation>Kết thúc biểu quyết</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="491"/>
        <source>Give the floor to %1</source>
        <translation>Mời %1 phát biểu</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="494"/>
        <source>End the turn</source>
        <translation>Kết thúc lượt phát biểu</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="495"/>
        <source>Close the meeting</source>
        <translation>Bế mạc</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="496"/>
        <source>Chair:</source>
        <translation>Chủ trì:</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/meeting_view.py" line="525"/>
        <source>Give a reason for the absence</source>
        <translation>Hãy ghi lý do vắng mặt</translation>
    </message>
</context>
<context>
    <name>MeetingVoteTile</name>
    <message>
        <location filename="../../widgets/meetings/tiles.py" line="155"/>
        <source>No vote under way</source>
        <translation>Chưa có biểu quyết</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/tiles.py" line="171"/>
        <source>secret ballot</source>
        <translation>bỏ phiếu kín</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/tiles.py" line="171"/>
        <source>named vote</source>
        <translation>biểu quyết công khai</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/tiles.py" line="173"/>
        <source>Voting · %1 of %2 present have voted</source>
        <translation>Đang biểu quyết · %1/%2 đại biểu có mặt đã bỏ phiếu</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/tiles.py" line="176"/>
        <source>Result · %1 ballots · closed %2</source>
        <translation>Kết quả · %1 phiếu · kết thúc lúc %2</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/tiles.py" line="179"/>
        <source>Ready, not yet open</source>
        <translation>Đã sẵn sàng, chưa mở</translation>
    </message>
</context>
<context>
    <name>OperatorWindow</name>
    <message>
        <location filename="../../desktop/windows/operator.py" line="51"/>
        <source>controlroom — operator console</source>
        <translation>controlroom — bàn điều khiển của điều hành viên</translation>
    </message>
    <message>
        <location filename="../../desktop/windows/operator.py" line="63"/>
        <source>Scenes</source>
        <translation>Kịch bản</translation>
    </message>
    <message>
        <location filename="../../desktop/windows/operator.py" line="67"/>
        <source>Layout</source>
        <translation>Bố cục</translation>
    </message>
    <message>
        <location filename="../../desktop/windows/operator.py" line="71"/>
        <source>Grid</source>
        <translation>Lưới</translation>
    </message>
    <message>
        <location filename="../../desktop/windows/operator.py" line="78"/>
        <source>scene name</source>
        <translation>tên kịch bản</translation>
    </message>
    <message>
        <location filename="../../desktop/windows/operator.py" line="81"/>
        <source>Save scene</source>
        <translation>Lưu kịch bản</translation>
    </message>
    <message>
        <location filename="../../desktop/windows/operator.py" line="85"/>
        <source>Push to</source>
        <translation>Đẩy tới</translation>
    </message>
    <message>
        <location filename="../../desktop/windows/operator.py" line="89"/>
        <source>Push</source>
        <translation>Đẩy</translation>
    </message>
    <message>
        <location filename="../../desktop/windows/operator.py" line="101"/>
        <source>Sign out</source>
        <translation>Đăng xuất</translation>
    </message>
    <message>
        <location filename="../../desktop/windows/operator.py" line="110"/>
        <source>Locked accounts</source>
        <translation>Tài khoản bị khóa</translation>
    </message>
    <message>
        <location filename="../../desktop/windows/operator.py" line="132"/>
        <source>Refused: %1</source>
        <translation>Bị từ chối: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/windows/operator.py" line="149"/>
        <source>Scene log</source>
        <translation>Nhật ký kịch bản</translation>
    </message>
    <message>
        <location filename="../../desktop/windows/operator.py" line="160"/>
        <source>Mute alarm</source>
        <translation>Tắt âm báo</translation>
    </message>
    <message>
        <location filename="../../desktop/windows/operator.py" line="168"/>
        <source>no alarm sound: no audio device</source>
        <translation>không phát được âm báo: không có thiết bị âm thanh</translation>
    </message>
    <message>
        <location filename="../../desktop/windows/operator.py" line="171"/>
        <source>Alerts</source>
        <translation>Cảnh báo</translation>
    </message>
    <message>
        <location filename="../../desktop/windows/operator.py" line="228"/>
        <source>Give the scene a name first</source>
        <translation>Hãy đặt tên cho kịch bản trước</translation>
    </message>
    <message>
        <location filename="../../desktop/windows/operator.py" line="235"/>
        <source>Could not save the scene: the cache cannot be written</source>
        <translation>Không lưu được kịch bản: không ghi được bộ đệm</translation>
    </message>
    <message>
        <location filename="../../desktop/windows/operator.py" line="251"/>
        <source>Scene %1 pushed to %2</source>
        <translation>Đã đẩy kịch bản %1 tới %2</translation>
    </message>
    <message>
        <location filename="../../desktop/windows/operator.py" line="284"/>
        <source>alerts %1</source>
        <translation>cảnh báo %1</translation>
    </message>
    <message>
        <location filename="../../desktop/windows/operator.py" line="285"/>
        <source>stored %1 · duplicates %2 · rejected %3</source>
        <translation>đã lưu %1 · trùng %2 · từ chối %3</translation>
    </message>
    <message>
        <location filename="../../desktop/windows/operator.py" line="290"/>
        <source>CACHE DISK FULL — data kept in memory, not yet saved</source>
        <translation>ĐĨA BỘ ĐỆM ĐẦY — dữ liệu giữ trong bộ nhớ, chưa được lưu</translation>
    </message>
    <message>
        <location filename="../../desktop/windows/operator.py" line="292"/>
        <source>damaged cache moved aside: %1</source>
        <translation>bộ đệm hỏng đã được chuyển sang: %1</translation>
    </message>
</context>
<context>
    <name>PaperViewer</name>
    <message>
        <location filename="../../widgets/meetings/pdf_viewer.py" line="64"/>
        <source>Fit</source>
        <translation>Vừa trang</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/pdf_viewer.py" line="65"/>
        <source>Pages</source>
        <translation>Các trang</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/pdf_viewer.py" line="66"/>
        <source>Close</source>
        <translation>Đóng</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/pdf_viewer.py" line="67"/>
        <source>Show in the conference</source>
        <translation>Trình chiếu trong hội nghị</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/pdf_viewer.py" line="73"/>
        <source>Find in the paper</source>
        <translation>Tìm trong tài liệu</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/pdf_viewer.py" line="75"/>
        <source>Find</source>
        <translation>Tìm</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/pdf_viewer.py" line="91"/>
        <source>Read</source>
        <translation>Đọc</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/pdf_viewer.py" line="91"/>
        <source>Pen</source>
        <translation>Bút</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/pdf_viewer.py" line="92"/>
        <source>Highlight</source>
        <translation>Tô sáng</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/pdf_viewer.py" line="92"/>
        <source>Note</source>
        <translation>Ghi chú</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/pdf_viewer.py" line="99"/>
        <source>Undo</source>
        <translation>Hoàn tác</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/pdf_viewer.py" line="101"/>
        <source>Export my notes</source>
        <translation>Xuất ghi chú</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/pdf_viewer.py" line="107"/>
        <source>Your note (only you see it)</source>
        <translation>Ghi chú của bạn (chỉ bạn xem được)</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/pdf_viewer.py" line="109"/>
        <source>Save the note</source>
        <translation>Lưu ghi chú</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/pdf_viewer.py" line="172"/>
        <source>The paper cannot be shown: it is not a readable PDF</source>
        <translation>Không hiển thị được tài liệu: tệp PDF bị hỏng hoặc không đọc được</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/pdf_viewer.py" line="260"/>
        <source>My notes on this page: %1</source>
        <translation>Ghi chú của tôi ở trang này: %1</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/pdf_viewer.py" line="264"/>
        <source>Page %1 of %2</source>
        <translation>Trang %1/%2</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/pdf_viewer.py" line="308"/>
        <source>searching…</source>
        <translation>đang tìm…</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/pdf_viewer.py" line="316"/>
        <source>%1 of %2</source>
        <translation>%1/%2</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/pdf_viewer.py" line="320"/>
        <source>%1 found</source>
        <translation>tìm thấy %1</translation>
    </message>
</context>
<context>
    <name>SecretaryPanel</name>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="56"/>
        <source>Agenda item</source>
        <translation>Nội dung họp</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="58"/>
        <source>Title</source>
        <translation>Tên nội dung</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="58"/>
        <source>Presented by</source>
        <translation>Cơ quan trình bày</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="61"/>
        <source> min</source>
        <translation> phút</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="63"/>
        <source>Add</source>
        <translation>Thêm</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="72"/>
        <source>Members and guests</source>
        <translation>Thành phần tham dự</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="74"/>
        <source>Account name (a guest: any name)</source>
        <translation>Tên tài khoản (khách mời: ghi họ tên)</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="77"/>
        <source>member</source>
        <translation>thành viên</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="77"/>
        <source>chair</source>
        <translation>chủ trì</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="77"/>
        <source>guest</source>
        <translation>khách mời</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="78"/>
        <source>secretary</source>
        <translation>thư ký</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="80"/>
        <source>Add to the meeting</source>
        <translation>Thêm vào cuộc họp</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="87"/>
        <source>Paper</source>
        <translation>Tài liệu</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="91"/>
        <source>Title of the paper</source>
        <translation>Tên tài liệu</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="92"/>
        <source>Confidential (MẬT): never kept on tablets</source>
        <translation>MẬT: không lưu trên máy tính bảng</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="94"/>
        <source>Choose a PDF and upload…</source>
        <translation>Chọn tệp PDF và tải lên…</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="100"/>
        <source>Secretary&apos;s notes for the minutes</source>
        <translation>Ghi chép của thư ký cho biên bản</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="105"/>
        <source>Save the notes</source>
        <translation>Lưu ghi chép</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="106"/>
        <source>Issue the signed minutes</source>
        <translation>Lập biên bản (ký số)</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="113"/>
        <source>Opinion form</source>
        <translation>Phiếu lấy ý kiến</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="114"/>
        <source>Title of the form</source>
        <translation>Tên phiếu lấy ý kiến</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="116"/>
        <source>One question per line</source>
        <translation>Mỗi dòng một nội dung xin ý kiến</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="122"/>
        <source>answers within </source>
        <translation>hạn trả lời </translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="123"/>
        <source> h</source>
        <translation> giờ</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="125"/>
        <source>Create the form</source>
        <translation>Tạo phiếu</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="159"/>
        <source>Submit to the chair</source>
        <translation>Trình chủ trì</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="159"/>
        <source>Send</source>
        <translation>Gửi</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="160"/>
        <source>Close now</source>
        <translation>Kết thúc ngay</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="160"/>
        <location filename="../../widgets/meetings/secretary_panel.py" line="161"/>
        <source>Summary</source>
        <translation>Tổng hợp</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="162"/>
        <source>draft</source>
        <translation>dự thảo</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="162"/>
        <source>waiting for the chair</source>
        <translation>chờ chủ trì duyệt</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="163"/>
        <source>approved</source>
        <translation>đã duyệt</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="163"/>
        <source>collecting answers</source>
        <translation>đang lấy ý kiến</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="164"/>
        <source>closed</source>
        <translation>đã kết thúc</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="164"/>
        <source>concluded</source>
        <translation>đã kết luận</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="178"/>
        <source>members</source>
        <translation>thành viên</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="180"/>
        <source>%1. %2: agree %3, disagree %4, other %5, no answer %6</source>
        <translation>%1. %2: đồng ý %3, không đồng ý %4, ý kiến khác %5, chưa trả lời %6</translation>
    </message>
    <message>
        <location filename="../../widgets/meetings/secretary_panel.py" line="185"/>
        <source>Not answered yet: %1</source>
        <translation>Chưa trả lời: %1</translation>
    </message>
</context>
<context>
    <name>Session</name>
    <message>
        <location filename="../../desktop/session.py" line="170"/>
        <source>The meeting service could not start: %1</source>
        <translation>Không khởi động được dịch vụ họp: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/session.py" line="182"/>
        <source>Meetings</source>
        <translation>Cuộc họp</translation>
    </message>
    <message>
        <location filename="../../desktop/session.py" line="197"/>
        <location filename="../../desktop/session.py" line="199"/>
        <source>Conference</source>
        <translation>Hội nghị</translation>
    </message>
    <message>
        <location filename="../../desktop/session.py" line="247"/>
        <source>The wall preset %1 was not put up on %2</source>
        <translation>Chưa đưa được bố cục %1 lên %2</translation>
    </message>
    <message>
        <location filename="../../desktop/session.py" line="271"/>
        <source>Invited to %1: %2</source>
        <translation>Đã mời %1: %2</translation>
    </message>
    <message>
        <location filename="../../desktop/session.py" line="273"/>
        <source>not sent: %1</source>
        <translation>chưa gửi được: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/session.py" line="303"/>
        <source>Demo accounts: trucban, lanhdaotruc, lanhdao, quantri — password %1</source>
        <translation>Tài khoản thử: trucban, lanhdaotruc, lanhdao, quantri — mật khẩu %1</translation>
    </message>
    <message>
        <location filename="../../desktop/session.py" line="344"/>
        <source>The account database cannot be read: %1</source>
        <translation>Không đọc được cơ sở dữ liệu tài khoản: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/session.py" line="236"/>
        <location filename="../../desktop/session.py" line="352"/>
        <location filename="../../desktop/session.py" line="513"/>
        <source>Refused: %1</source>
        <translation>Bị từ chối: %1</translation>
    </message>
    <message>
        <location filename="../../desktop/session.py" line="355"/>
        <source>%1 unlocked</source>
        <translation>Đã mở khóa %1</translation>
    </message>
</context>
<context>
    <name>SignInGate</name>
    <message>
        <location filename="../../desktop/identity/gate.py" line="95"/>
        <source>Sign-in is not possible now: the account database cannot be used (%1)</source>
        <translation>Chưa đăng nhập được: không dùng được cơ sở dữ liệu tài khoản (%1)</translation>
    </message>
</context>
<context>
    <name>SopChecklist</name>
    <message>
        <location filename="../../widgets/alerts/procedure_view.py" line="103"/>
        <source>No procedure for this alert</source>
        <translation>Chưa có quy trình cho cảnh báo này</translation>
    </message>
</context>
<context>
    <name>StationListTile</name>
    <message>
        <location filename="../../widgets/air/station_list.py" line="37"/>
        <source>Station</source>
        <translation>Trạm</translation>
    </message>
    <message>
        <location filename="../../widgets/air/station_list.py" line="37"/>
        <source>Category</source>
        <translation>Mức</translation>
    </message>
    <message>
        <location filename="../../widgets/air/station_list.py" line="37"/>
        <source>Main pollutant</source>
        <translation>Chất ô nhiễm chính</translation>
    </message>
</context>
<context>
    <name>TerminalWindow</name>
    <message>
        <location filename="../../desktop/windows/terminal.py" line="53"/>
        <source>Sign out</source>
        <translation>Đăng xuất</translation>
    </message>
    <message>
        <location filename="../../desktop/windows/terminal.py" line="77"/>
        <source>Dashboard</source>
        <translation>Bảng điều hành</translation>
    </message>
    <message>
        <location filename="../../desktop/windows/terminal.py" line="117"/>
        <source>no connection: %1 — showing last known data</source>
        <translation>mất kết nối: %1 — đang hiển thị dữ liệu gần nhất</translation>
    </message>
    <message>
        <location filename="../../desktop/windows/terminal.py" line="126"/>
        <source>since %1</source>
        <translation>từ %1</translation>
    </message>
    <message>
        <location filename="../../desktop/windows/terminal.py" line="131"/>
        <source>+%1 more unacknowledged</source>
        <translation>+%1 cảnh báo khác chưa xác nhận</translation>
    </message>
</context>
<context>
    <name>Tile</name>
    <message>
        <location filename="../../widgets/base/tile.py" line="63"/>
        <source>no data yet</source>
        <translation>chưa có dữ liệu</translation>
    </message>
    <message>
        <location filename="../../widgets/base/tile.py" line="106"/>
        <source>as of %1</source>
        <translation>cập nhật %1</translation>
    </message>
    <message>
        <location filename="../../widgets/base/tile.py" line="108"/>
        <source>STALE · as of %1</source>
        <translation>DỮ LIỆU CŨ · cập nhật %1</translation>
    </message>
</context>
<context>
    <name>VesselMap</name>
    <message>
        <location filename="../../widgets/fleet/map_view.py" line="58"/>
        <source>Active</source>
        <translation>Đang hoạt động</translation>
    </message>
    <message>
        <location filename="../../widgets/fleet/map_view.py" line="59"/>
        <source>Inside</source>
        <translation>Trong vùng cho phép</translation>
    </message>
    <message>
        <location filename="../../widgets/fleet/map_view.py" line="60"/>
        <source>Near boundary</source>
        <translation>Gần ranh giới</translation>
    </message>
    <message>
        <location filename="../../widgets/fleet/map_view.py" line="61"/>
        <source>Violating</source>
        <translation>Vi phạm ranh giới</translation>
    </message>
    <message>
        <location filename="../../widgets/fleet/map_view.py" line="62"/>
        <source>Distress</source>
        <translation>Gặp nạn</translation>
    </message>
    <message>
        <location filename="../../widgets/fleet/map_view.py" line="63"/>
        <source>Lost signal</source>
        <translation>Mất tín hiệu</translation>
    </message>
    <message>
        <location filename="../../widgets/fleet/map_view.py" line="64"/>
        <source>At port</source>
        <translation>Tại cảng</translation>
    </message>
    <message>
        <location filename="../../widgets/fleet/map_view.py" line="71"/>
        <source>%1 s ago</source>
        <translation>%1 giây trước</translation>
    </message>
    <message>
        <location filename="../../widgets/fleet/map_view.py" line="73"/>
        <source>%1 min ago</source>
        <translation>%1 phút trước</translation>
    </message>
    <message>
        <location filename="../../widgets/fleet/map_view.py" line="74"/>
        <source>%1 h ago</source>
        <translation>%1 giờ trước</translation>
    </message>
</context>
<context>
    <name>VesselMapWidget</name>
    <message>
        <location filename="../../widgets/fleet/map_view.py" line="297"/>
        <source>Follow the selected vessel</source>
        <translation>Bám theo tàu đang chọn</translation>
    </message>
    <message>
        <location filename="../../widgets/fleet/map_view.py" line="356"/>
        <source>Name</source>
        <translation>Tên tàu</translation>
    </message>
    <message>
        <location filename="../../widgets/fleet/map_view.py" line="357"/>
        <source>Owner</source>
        <translation>Chủ tàu</translation>
    </message>
    <message>
        <location filename="../../widgets/fleet/map_view.py" line="358"/>
        <source>Length class</source>
        <translation>Nhóm chiều dài</translation>
    </message>
    <message>
        <location filename="../../widgets/fleet/map_view.py" line="359"/>
        <source>State</source>
        <translation>Trạng thái</translation>
    </message>
    <message>
        <location filename="../../widgets/fleet/map_view.py" line="360"/>
        <source>Position</source>
        <translation>Vị trí</translation>
    </message>
    <message>
        <location filename="../../widgets/fleet/map_view.py" line="361"/>
        <source>Speed</source>
        <translation>Tốc độ</translation>
    </message>
    <message>
        <location filename="../../widgets/fleet/map_view.py" line="362"/>
        <source>Course</source>
        <translation>Hướng đi</translation>
    </message>
    <message>
        <location filename="../../widgets/fleet/map_view.py" line="363"/>
        <source>Last report</source>
        <translation>Lần báo cáo cuối</translation>
    </message>
    <message>
        <location filename="../../widgets/fleet/map_view.py" line="366"/>
        <source>To the boundary</source>
        <translation>Cách ranh giới</translation>
    </message>
</context>
<context>
    <name>VesselPanel</name>
    <message>
        <location filename="../../widgets/fleet/map_view.py" line="232"/>
        <source>Search registration or name</source>
        <translation>Tìm theo số đăng ký hoặc tên tàu</translation>
    </message>
</context>
<context>
    <name>severity</name>
    <message>
        <location filename="../../desktop/windows/terminal.py" line="140"/>
        <source>INFO</source>
        <translation>THÔNG TIN</translation>
    </message>
    <message>
        <location filename="../../desktop/windows/terminal.py" line="141"/>
        <source>WARNING</source>
        <translation>CẢNH BÁO</translation>
    </message>
    <message>
        <location filename="../../desktop/windows/terminal.py" line="142"/>
        <source>CRITICAL</source>
        <translation>NGHIÊM TRỌNG</translation>
    </message>
    <message>
        <location filename="../../desktop/windows/terminal.py" line="143"/>
        <source>EMERGENCY</source>
        <translation>KHẨN CẤP</translation>
    </message>
</context>
<context>
    <name>tile</name>
    <message>
        <location filename="../../widgets/video/camera_tile.py" line="139"/>
        <source>CAMERA ERROR</source>
        <translation>LỖI CAMERA</translation>
    </message>
</context>
<context>
    <name>window</name>
    <message>
        <location filename="../../desktop/windows/cameras.py" line="312"/>
        <source>Hotspot</source>
        <translation>Điểm nóng</translation>
    </message>
</context>
</TS>
