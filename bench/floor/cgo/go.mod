module floorgo

go 1.22
