"""Operating-system errors in the words of a finance officer (never the English strerror)."""

from __future__ import annotations

import errno

_REASONS = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "不允许操作（文件可能被锁定或设为只读）",
    errno.EROFS: "磁盘是只读的",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.ELOOP: "符号链接形成循环",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOTDIR: "路径中有一部分不是文件夹",
    errno.ENAMETOOLONG: "文件名太长",
    errno.EEXIST: "同名文件已存在",
    errno.EIO: "读写磁盘时出错",
    errno.EBUSY: "文件正被其他程序占用",
    errno.ETXTBSY: "文件正被其他程序占用",
    errno.EMFILE: "同时打开的文件太多",
    errno.ENXIO: "设备不存在",
}


def os_reason(exc: OSError) -> str:
    return _REASONS.get(exc.errno, f"系统错误（错误号 {exc.errno}）")
