<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="vi_VN">
<context>
    <name>ClockTile</name>
    <message>
        <location filename="../../widgets/tiles/clock.py" line="65"/>
        <source>local time</source>
        <translation>giờ địa phương</translation>
    </message>
</context>
<context>
    <name>ErrorTile</name>
    <message>
        <location filename="../../widgets/tile.py" line="120"/>
        <source>Cannot show this tile: %1</source>
        <translation>Không hiển thị được ô này: %1</translation>
    </message>
</context>
<context>
    <name>FeedStatus</name>
    <message>
        <location filename="../../widgets/tiles/clock.py" line="21"/>
        <source>connected</source>
        <translation>đã kết nối</translation>
    </message>
    <message>
        <location filename="../../widgets/tiles/clock.py" line="23"/>
        <source>connecting…</source>
        <translation>đang kết nối…</translation>
    </message>
    <message>
        <location filename="../../widgets/tiles/clock.py" line="25"/>
        <source>reconnecting since %1</source>
        <translation>đang kết nối lại từ %1</translation>
    </message>
    <message>
        <location filename="../../widgets/tiles/clock.py" line="27"/>
        <source>offline since %1</source>
        <translation>ngoại tuyến từ %1</translation>
    </message>
</context>
<context>
    <name>IndicatorTile</name>
    <message>
        <location filename="../../widgets/tiles/indicator.py" line="103"/>
        <source>target %1</source>
        <translation>mục tiêu %1</translation>
    </message>
</context>
<context>
    <name>OperatorWindow</name>
    <message>
        <location filename="../../desktop/operator_window.py" line="33"/>
        <source>controlroom — operator console</source>
        <translation>controlroom — bàn điều khiển của điều hành viên</translation>
    </message>
    <message>
        <location filename="../../desktop/operator_window.py" line="44"/>
        <source>Scenes</source>
        <translation>Kịch bản</translation>
    </message>
    <message>
        <location filename="../../desktop/operator_window.py" line="48"/>
        <source>Layout</source>
        <translation>Bố cục</translation>
    </message>
    <message>
        <location filename="../../desktop/operator_window.py" line="52"/>
        <source>Grid</source>
        <translation>Lưới</translation>
    </message>
    <message>
        <location filename="../../desktop/operator_window.py" line="59"/>
        <source>scene name</source>
        <translation>tên kịch bản</translation>
    </message>
    <message>
        <location filename="../../desktop/operator_window.py" line="62"/>
        <source>Save scene</source>
        <translation>Lưu kịch bản</translation>
    </message>
    <message>
        <location filename="../../desktop/operator_window.py" line="66"/>
        <source>Push to</source>
        <translation>Đẩy tới</translation>
    </message>
    <message>
        <location filename="../../desktop/operator_window.py" line="70"/>
        <source>Push</source>
        <translation>Đẩy</translation>
    </message>
    <message>
        <location filename="../../desktop/operator_window.py" line="86"/>
        <source>Scene log</source>
        <translation>Nhật ký kịch bản</translation>
    </message>
    <message>
        <location filename="../../desktop/operator_window.py" line="131"/>
        <source>Give the scene a name first</source>
        <translation>Hãy đặt tên cho kịch bản trước</translation>
    </message>
    <message>
        <location filename="../../desktop/operator_window.py" line="150"/>
        <source>Scene %1 pushed to %2</source>
        <translation>Đã đẩy kịch bản %1 tới %2</translation>
    </message>
    <message>
        <location filename="../../desktop/operator_window.py" line="172"/>
        <source>stored %1 · duplicates %2 · rejected %3</source>
        <translation>đã lưu %1 · trùng %2 · từ chối %3</translation>
    </message>
    <message>
        <location filename="../../desktop/operator_window.py" line="177"/>
        <source>CACHE DISK FULL — data kept in memory, not yet saved</source>
        <translation>ĐĨA BỘ ĐỆM ĐẦY — dữ liệu giữ trong bộ nhớ, chưa được lưu</translation>
    </message>
    <message>
        <location filename="../../desktop/operator_window.py" line="179"/>
        <source>damaged cache moved aside: %1</source>
        <translation>bộ đệm hỏng đã được chuyển sang: %1</translation>
    </message>
</context>
<context>
    <name>TerminalWindow</name>
    <message>
        <location filename="../../desktop/terminal_window.py" line="68"/>
        <source>no connection: %1 — showing last known data</source>
        <translation>mất kết nối: %1 — đang hiển thị dữ liệu gần nhất</translation>
    </message>
</context>
<context>
    <name>Tile</name>
    <message>
        <location filename="../../widgets/tile.py" line="54"/>
        <source>no data yet</source>
        <translation>chưa có dữ liệu</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="94"/>
        <source>as of %1</source>
        <translation>cập nhật %1</translation>
    </message>
    <message>
        <location filename="../../widgets/tile.py" line="96"/>
        <source>STALE · as of %1</source>
        <translation>DỮ LIỆU CŨ · cập nhật %1</translation>
    </message>
</context>
</TS>
