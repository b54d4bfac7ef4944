"""Personal property query (个人不动产登记信息查询)."""
