"""budgetgen: 部门预算信息公开 from YAML source data — load, validate, compute, check, render."""

__version__ = "0.1.0"
