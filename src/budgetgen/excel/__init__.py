"""Excel in: read a budget system's export of the 部门预算公开表 (.xlsx or .xls, any common layout)
into the numbers of a department file."""
